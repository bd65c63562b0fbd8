// pulumi-tfgen-docker writes the Pulumi package schema of the bridged Docker provider:
//
//	pulumi-tfgen-docker [-upstream DIR] OUT.json
//
// It runs pulumi-terraform-bridge's tfgen.GenerateSchema on the same ProviderInfo the plugin
// serves; DIR (the upstream provider's module directory) supplies the docs the descriptions
// come from.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfgen"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag/colors"

	"pulumi-real/docker/provider"
)

func main() {
	upstream := flag.String("upstream", "", "directory of the upstream Terraform provider's source (for docs)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: pulumi-tfgen-docker [-upstream DIR] OUT.json")
		os.Exit(2)
	}
	sink := diag.DefaultSink(os.Stderr, os.Stderr, diag.FormatOptions{Color: colors.Never})
	spec, err := tfgen.GenerateSchema(provider.Provider(*upstream), sink)
	if err != nil {
		fmt.Fprintln(os.Stderr, "pulumi-tfgen-docker:", err)
		os.Exit(1)
	}
	b, err := json.MarshalIndent(spec, "", "    ")
	if err != nil {
		fmt.Fprintln(os.Stderr, "pulumi-tfgen-docker:", err)
		os.Exit(1)
	}
	if len(spec.Resources) == 0 {
		fmt.Fprintln(os.Stderr, "pulumi-tfgen-docker: the generated schema has no resources")
		os.Exit(1)
	}
	if err := os.WriteFile(flag.Arg(0), append(b, '\n'), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "pulumi-tfgen-docker:", err)
		os.Exit(1)
	}
}
