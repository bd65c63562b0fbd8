import * as pulumi from "@pulumi/pulumi";
import { rewriteLocalUrl } from "../../model/docker/host-url";
import { HOST_DOCKER_INTERNAL, HOST_GATEWAY, HostMapping } from "../../model/types";

/**
 * The extra-host entry that makes `host.docker.internal` resolve to the host's
 * gateway address on Linux (Docker Desktop adds it by itself). Every
 * PublishedService gets it unless `hostGateway: false`.
 */
export const hostGatewayMapping: HostMapping = { host: HOST_DOCKER_INTERNAL, ip: HOST_GATEWAY };

/**
 * The URL a container must use for a service the host reaches at `hostUrl`:
 * `http://localhost:4000` becomes `http://host.docker.internal:4000`. Accepts
 * Outputs. The host service must listen on 0.0.0.0 or the bridge gateway; one
 * bound to 127.0.0.1 (such as a default `kubectl port-forward`) stays
 * unreachable from containers.
 */
export function toContainerUrl(hostUrl: pulumi.Input<string>, hostName: string = HOST_DOCKER_INTERNAL): pulumi.Output<string> {
  return pulumi.output(hostUrl).apply((url) => rewriteLocalUrl(url, hostName));
}
