// pulumi-resource-docker: the bridged kreuzwerker Docker provider under @pulumi/docker's tokens.
// schema.json is not kept in the repo: scripts/pulumi-install.sh writes it next to this file
// with ../pulumi-tfgen-docker (the bridge's own schema generation) before building.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"

	"pulumi-real/docker/provider"
)

//go:embed schema.json
var schema []byte

func main() {
	tfbridge.Main("docker", provider.Version, provider.Provider(""), schema)
}
