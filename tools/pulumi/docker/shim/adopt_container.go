package shim

// Adopting a container that `docker run` (or docker compose) created: `pulumi import` and the
// `import` resource option. Upstream imports a container by its ID only (a passthrough) and then
// runs the ordinary read, which leaves out `env`, `labels`, `ports` and `networks_advanced` (all
// ForceNew) and reads `network_mode` as the network the container was created on. Every imported
// container therefore previewed as a replacement whatever the program declared (measured in
// docs/engine-facts.md (q)). The importer below reads those four from the engine, as they would be
// had the provider created the container, and a diff suppressor treats "created on network X and
// attached to X" as the same as the provider's own "created on bridge, then moved to X".

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/docker/go-connections/nat"
	"github.com/docker/docker/api/types/network"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/terraform-providers/terraform-provider-docker/internal/provider"
)

// patchContainerAdoption installs the importer and the network_mode diff suppressor on docker_container.
func patchContainerAdoption(p *schema.Provider) {
	r := p.ResourcesMap["docker_container"]
	if r == nil {
		panic("docker_container is missing from the upstream provider")
	}
	r.Importer = &schema.ResourceImporter{StateContext: func(ctx context.Context, d *schema.ResourceData, meta interface{}) ([]*schema.ResourceData, error) {
		// Settings that only steer the provider (must_run, start, wait, logs, attach, ...) are never
		// read from the engine: a container the provider made has them from its program, an adopted
		// one gets their defaults, which is what a program that leaves them out declares.
		for name, field := range r.Schema {
			if field.Default != nil {
				if err := d.Set(name, field.Default); err != nil {
					return nil, fmt.Errorf("import: default of %s: %w", name, err)
				}
			}
		}
		return importContainer(ctx, d, meta)
	}}
	r.Schema["network_mode"].DiffSuppressFunc = suppressNetworkModeOfAttachedNetwork
	// docker-compose (v1) creates containers with an empty restart policy name: Docker's "no".
	restart := r.Schema["restart"]
	upstreamRestart := restart.DiffSuppressFunc
	restart.DiffSuppressFunc = func(k, old, new string, d *schema.ResourceData) bool {
		return (upstreamRestart != nil && upstreamRestart(k, old, new, d)) || (old == "" && new == "no")
	}
	upstream := r.Schema["ports"].DiffSuppressFunc
	r.Schema["ports"].DiffSuppressFunc = func(k, old, new string, d *schema.ResourceData) bool {
		return (upstream != nil && upstream(k, old, new, d)) || samePortsInAnyOrder(d)
	}
}

// samePortsInAnyOrder reports whether the declared ports and the ports read back are the same
// bindings in another order. The read sorts by port number only and lists a port's bindings in the
// engine's order, so a port published on two addresses (`docker run -p 8080:80` binds 0.0.0.0 and
// ::) or one port number on tcp and udp read back out of declaration order; upstream's suppressor
// pairs bindings by port number alone and so reports those as a replacement. A declared binding
// without a host port matches any host port.
func samePortsInAnyOrder(d *schema.ResourceData) bool {
	oldRaw, newRaw := d.GetChange("ports")
	olds, _ := oldRaw.([]interface{})
	news, _ := newRaw.([]interface{})
	if len(olds) != len(news) {
		return false
	}
	used := make([]bool, len(olds))
	for _, wildcard := range []bool{false, true} {
		for _, n := range news {
			nm, _ := n.(map[string]interface{})
			if nm == nil || (portNumber(nm["external"]) == 0) != wildcard {
				continue
			}
			found := false
			for i, o := range olds {
				om, _ := o.(map[string]interface{})
				if used[i] || om == nil || !sameBinding(om, nm) {
					continue
				}
				used[i], found = true, true
				break
			}
			if !found {
				return false
			}
		}
	}
	return true
}

func sameBinding(old, new map[string]interface{}) bool {
	ip := func(v interface{}) string {
		if s, _ := v.(string); s != "" {
			return s
		}
		return "0.0.0.0"
	}
	proto := func(v interface{}) string {
		if s, _ := v.(string); s != "" {
			return s
		}
		return "tcp"
	}
	ext := portNumber(new["external"])
	return portNumber(old["internal"]) == portNumber(new["internal"]) && proto(old["protocol"]) == proto(new["protocol"]) &&
		ip(old["ip"]) == ip(new["ip"]) && (ext == 0 || ext == portNumber(old["external"]))
}

func portNumber(v interface{}) int {
	n, _ := v.(int)
	return n
}

// importContainer reads env, labels, ports and networks_advanced of an existing container into the
// state; the provider's read runs after it and fills in the rest.
func importContainer(ctx context.Context, d *schema.ResourceData, meta interface{}) ([]*schema.ResourceData, error) {
	client, err := meta.(*provider.ProviderConfig).MakeClient(ctx, d)
	if err != nil {
		return nil, fmt.Errorf("failed to create Docker client: %w", err)
	}
	c, err := client.ContainerInspect(ctx, d.Id())
	if err != nil {
		return nil, fmt.Errorf("import of container %q: %w", d.Id(), err)
	}
	// The read looks the container up by its full ID: accept a name or a short ID too.
	d.SetId(c.ID)
	var imageEnv []string
	imageLabels := map[string]string{}
	if img, err := client.ImageInspect(ctx, c.Image); err == nil && img.Config != nil {
		imageEnv = img.Config.Env
		imageLabels = img.Config.Labels
	}
	if err := d.Set("env", ownEnv(c.Config.Env, imageEnv)); err != nil {
		return nil, err
	}
	if err := d.Set("labels", labelSet(ownLabels(c.Config.Labels, imageLabels))); err != nil {
		return nil, err
	}
	if c.NetworkSettings != nil && c.State != nil && c.State.Running {
		if err := d.Set("ports", containerPorts(c.NetworkSettings.Ports)); err != nil {
			return nil, err
		}
	}
	if c.NetworkSettings != nil && userDefinedMode(string(c.HostConfig.NetworkMode)) {
		if err := d.Set("networks_advanced", advancedNetworks(c.ID, c.NetworkSettings.Networks)); err != nil {
			return nil, err
		}
	}
	return []*schema.ResourceData{d}, nil
}

// userDefinedMode reports whether a container's network mode names a user-defined network (the
// provider's networks_advanced), not one of Docker's built-in modes.
func userDefinedMode(mode string) bool {
	switch {
	case mode == "", mode == "default", mode == "bridge", mode == "host", mode == "none":
		return false
	case strings.HasPrefix(mode, "container:"):
		return false
	}
	return true
}

// ownEnv is the container's environment without the entries it inherited unchanged from its image.
func ownEnv(env, imageEnv []string) []interface{} {
	inherited := map[string]bool{}
	for _, e := range imageEnv {
		inherited[e] = true
	}
	out := []interface{}{}
	for _, e := range env {
		if !inherited[e] {
			out = append(out, e)
		}
	}
	return out
}

// ownLabels is the container's labels without the ones it inherited unchanged from its image.
func ownLabels(labels, imageLabels map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range labels {
		if iv, ok := imageLabels[k]; !ok || iv != v {
			out[k] = v
		}
	}
	return out
}

// labelSet builds the provider's label set ({label, value} blocks).
func labelSet(labels map[string]string) []interface{} {
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]interface{}, 0, len(keys))
	for _, k := range keys {
		out = append(out, map[string]interface{}{"label": k, "value": labels[k]})
	}
	return out
}

// containerPorts flattens the published ports as the provider's read does (by port number, then protocol).
func containerPorts(ports nat.PortMap) []interface{} {
	keys := make([]string, 0, len(ports))
	for k := range ports {
		keys = append(keys, string(k))
	}
	sort.Slice(keys, func(i, j int) bool {
		pi, _ := strconv.Atoi(strings.Split(keys[i], "/")[0])
		pj, _ := strconv.Atoi(strings.Split(keys[j], "/")[0])
		if pi != pj {
			return pi < pj
		}
		return keys[i] < keys[j]
	})
	out := []interface{}{}
	for _, key := range keys {
		portProto := strings.SplitN(key, "/", 2)
		internal, _ := strconv.Atoi(portProto[0])
		protocol := "tcp"
		if len(portProto) == 2 {
			protocol = portProto[1]
		}
		for _, b := range ports[nat.Port(key)] {
			external, _ := strconv.Atoi(b.HostPort)
			out = append(out, map[string]interface{}{"internal": internal, "external": external, "ip": b.HostIP, "protocol": protocol})
		}
	}
	return out
}

// advancedNetworks is the provider's networks_advanced for a container on user-defined networks: by
// network name (as programs pass them), with the aliases and static addresses it was given.
func advancedNetworks(id string, endpoints map[string]*network.EndpointSettings) []interface{} {
	names := make([]string, 0, len(endpoints))
	for name := range endpoints {
		names = append(names, name)
	}
	sort.Strings(names)
	out := []interface{}{}
	for _, name := range names {
		m := map[string]interface{}{"name": name}
		if ep := endpoints[name]; ep != nil {
			aliases := []interface{}{}
			for _, a := range ep.Aliases {
				// Engines before API 1.45 list the container's short ID among the aliases.
				if a != "" && !strings.HasPrefix(id, a) {
					aliases = append(aliases, a)
				}
			}
			if len(aliases) > 0 {
				m["aliases"] = aliases
			}
			if ep.IPAMConfig != nil {
				if ep.IPAMConfig.IPv4Address != "" {
					m["ipv4_address"] = ep.IPAMConfig.IPv4Address
				}
				if ep.IPAMConfig.IPv6Address != "" {
					m["ipv6_address"] = ep.IPAMConfig.IPv6Address
				}
			}
		}
		out = append(out, m)
	}
	return out
}

// suppressNetworkModeOfAttachedNetwork hides a network_mode diff between the built-in default
// ("bridge"), and "default" (the same mode, as older engines store it) or the user-defined network an adopted container was created on, when the program
// attaches the container to that network through networks_advanced: the provider creates such a
// container on "bridge", moves it to its networks and leaves it off "bridge", which is the same
// container. Any other change of the mode still replaces the container.
func suppressNetworkModeOfAttachedNetwork(_ string, old, new string, d *schema.ResourceData) bool {
	if !(new == "bridge" || new == "") {
		return false
	}
	// Engines before 23.0 store "default" for a container run without --network: bridge on Linux.
	if old == "default" {
		return true
	}
	if !userDefinedMode(old) {
		return false
	}
	set, ok := d.Get("networks_advanced").(*schema.Set)
	if !ok {
		return false
	}
	for _, raw := range set.List() {
		if n, ok := raw.(map[string]interface{}); ok && n["name"] == old {
			return true
		}
	}
	return false
}
