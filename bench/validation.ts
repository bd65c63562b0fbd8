import { prepareModel, programShape, validateAndReach, validationShape } from "./cases";
import { median, timed } from "./measure";

/** CPU milliseconds of each validateTopology + computeReachability run, per model. */
export interface ValidationTimes {
  /** 1,000 services on 50 networks: the N=1000 program's model (`validation_share`). */
  readonly share: readonly number[];
  /** 1,000 services on 100 networks. */
  readonly small: readonly number[];
  /** 10,000 services on 1,000 networks. */
  readonly large: readonly number[];
}

/**
 * Times validate + reachability on the three models, `repeats` times each, interleaved, after a
 * warm-up of each: the models are built (parse, normalize) outside timing.
 */
export async function timeValidation(repeats: number): Promise<ValidationTimes> {
  const models = { share: prepareModel(programShape(1000)), small: prepareModel(validationShape(1000)), large: prepareModel(validationShape(10000)) };
  const times: Record<keyof typeof models, number[]> = { share: [], small: [], large: [] };
  for (const model of Object.values(models)) validateAndReach(model); // warm-up
  for (let r = 0; r < repeats; r++) {
    for (const key of Object.keys(models) as (keyof typeof models)[]) times[key].push((await timed(() => validateAndReach(models[key]))).cpuMs);
  }
  return times;
}

/** `validation_scaling_10x`: the median at 10,000 services on 1,000 networks over the median at 1,000 on 100. */
export const scaling10x = (times: ValidationTimes) => median(times.large) / median(times.small);
