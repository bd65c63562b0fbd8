package shim

// A swarm overlay reports the VXLAN id(s) it was given among its options
// (com.docker.network.driver.overlay.vxlanid_list). The provider reads the options back, so an
// overlay whose program declares any option (an encrypted one: encrypted=true) previewed as a
// replacement on every run after the first. The id is the swarm's to choose: a program that does
// not set it does not diff on it.

import (
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
)

const vxlanIDList = "com.docker.network.driver.overlay.vxlanid_list"

// patchOverlayOptions installs the diff suppressor on docker_network's options.
func patchOverlayOptions(p *schema.Provider) {
	r := p.ResourcesMap["docker_network"]
	if r == nil {
		panic("docker_network is missing from the upstream provider")
	}
	options := r.Schema["options"]
	upstream := options.DiffSuppressFunc
	options.DiffSuppressFunc = func(k, old, new string, d *schema.ResourceData) bool {
		if upstream != nil && upstream(k, old, new, d) {
			return true
		}
		switch k {
		case "options." + vxlanIDList:
			return new == ""
		case "options.%":
			return sameOptionsBesideVxlan(d)
		}
		return false
	}
}

// sameOptionsBesideVxlan: the options read and declared differ at most by a VXLAN id the program does not set.
func sameOptionsBesideVxlan(d *schema.ResourceData) bool {
	oldRaw, newRaw := d.GetChange("options")
	olds, _ := oldRaw.(map[string]interface{})
	news, _ := newRaw.(map[string]interface{})
	if _, declared := news[vxlanIDList]; declared {
		return false
	}
	count := 0
	for k, v := range olds {
		if k == vxlanIDList {
			continue
		}
		if news[k] != v {
			return false
		}
		count++
	}
	return count == len(news)
}
