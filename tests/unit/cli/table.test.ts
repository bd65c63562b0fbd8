import { renderTable } from "../../../cli/table";

describe("renderTable", () => {
  it("pads every column to its widest cell and underlines the headers", () => {
    expect(renderTable(["TYPE", "NAME"], [["docker:index:Network", "dev-dev"], ["docker:index:Container", "dev-api"]])).toEqual([
      "TYPE                    NAME",
      "----------------------  -------",
      "docker:index:Network    dev-dev",
      "docker:index:Container  dev-api",
    ]);
  });

  it("grows a row for multi-line cells, other cells top-aligned, trailing spaces trimmed", () => {
    expect(renderTable(["A", "B", "C"], [["x", "one\ntwo", ""]], { indent: "  ", gap: 1 })).toEqual(["  A B   C", "  - --- -", "  x one", "    two"]);
  });

  it("fills missing cells and prints only the header for no rows", () => {
    expect(renderTable(["A", "B"], [["only"]])).toEqual(["A     B", "----  -", "only"]);
    expect(renderTable(["A"], [])).toEqual(["A", "-"]);
  });
});
