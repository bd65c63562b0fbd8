// Package provider maps the kreuzwerker Terraform Docker provider (its SDKv2 half) onto the
// tokens and names of @pulumi/docker 5.2.0 (docker:index/<camel>:<Pascal>).
//
// This is ours, not upstream: github.com/pulumi/pulumi-docker/provider/v5 (the real
// pulumi-resource-docker) is refused by the Go module proxy, so the same upstream Terraform
// provider is bridged here with pulumi-terraform-bridge. pulumi-docker's native resources
// (Image, the buildx-based docker-build pieces) are not part of it.
package provider

import (
	"unicode"

	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	shimv2 "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim/sdk-v2"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/terraform-providers/terraform-provider-docker/shim"
)

// Version is the @pulumi/docker version this plugin stands in for.
const Version = "5.2.0"

func res(name string) tokens.Type {
	fn := string(unicode.ToLower(rune(name[0]))) + name[1:]
	return tokens.Type("docker:index/" + fn + ":" + name)
}

func fn(name string) tokens.ModuleMember {
	return tokens.ModuleMember("docker:index/" + name + ":" + name)
}

// Provider returns the bridge description of the plugin. upstreamRepoPath (may be empty) is the
// directory of the upstream provider's source, used only by schema generation to pick up the
// descriptions in its docs/ folder.
func Provider(upstreamRepoPath string) tfbridge.ProviderInfo {
	p := shimv2.NewProvider(shim.NewProvider(Version))
	info := tfbridge.ProviderInfo{
		P:                p,
		Name:             "docker",
		Version:          Version,
		DisplayName:      "Docker",
		Description:      "A Pulumi package for interacting with Docker in Pulumi programs",
		Keywords:         []string{"pulumi", "docker"},
		License:          "Apache-2.0",
		Homepage:         "https://pulumi.com",
		Repository:       "https://github.com/pulumi/pulumi-docker",
		UpstreamRepoPath: upstreamRepoPath,
		Config: map[string]*tfbridge.SchemaInfo{
			"host":          {Default: &tfbridge.DefaultInfo{Value: "unix:///var/run/docker.sock", EnvVars: []string{"DOCKER_HOST"}}},
			"registry_auth": {Name: "registryAuth"},
		},
		Resources: map[string]*tfbridge.ResourceInfo{
			"docker_config": {Tok: res("ServiceConfig")},
			"docker_container": {
				Tok:                 res("Container"),
				DeleteBeforeReplace: true,
				Fields: map[string]*tfbridge.SchemaInfo{
					"command":           {Name: "command"},
					"networks_advanced": {Name: "networksAdvanced"},
				},
			},
			"docker_image":          {Tok: res("RemoteImage"), Fields: map[string]*tfbridge.SchemaInfo{"name": {Name: "name"}}},
			"docker_network":        {Tok: res("Network")},
			"docker_secret":         {Tok: res("Secret")},
			"docker_service":        {Tok: res("Service")},
			"docker_volume":         {Tok: res("Volume")},
			"docker_registry_image": {Tok: res("RegistryImage")},
			"docker_plugin":         {Tok: res("Plugin")},
			"docker_tag":            {Tok: res("Tag")},
			"docker_buildx_builder": {Tok: res("BuildxBuilder")},
		},
		DataSources: map[string]*tfbridge.DataSourceInfo{
			"docker_network":                  {Tok: fn("getNetwork")},
			"docker_registry_image":           {Tok: fn("getRegistryImage")},
			"docker_plugin":                   {Tok: fn("getPlugin")},
			"docker_image":                    {Tok: fn("getRemoteImage")},
			"docker_logs":                     {Tok: fn("getLogs")},
			"docker_registry_image_manifests": {Tok: fn("getRegistryImageManifests")},
		},
	}
	info.SetAutonaming(255, "-")
	return info
}
