import { NetworkDriver } from "../types";

/** Driver option keys the typed network fields render to. */
export const DriverOption = {
  Mtu: "com.docker.network.driver.mtu",
  BridgeName: "com.docker.network.bridge.name",
  BridgeIcc: "com.docker.network.bridge.enable_icc",
  BridgeIpMasquerade: "com.docker.network.bridge.enable_ip_masquerade",
  BridgeHostBindingIpv4: "com.docker.network.bridge.host_binding_ipv4",
  Parent: "parent",
  MacvlanMode: "macvlan_mode",
  IpvlanMode: "ipvlan_mode",
  IpvlanFlag: "ipvlan_flag",
  OverlayEncrypted: "encrypted",
} as const;

const GENERIC = [DriverOption.Mtu, "com.docker.network.container_iface_prefix", "com.docker.network.enable_ipv4", "com.docker.network.enable_ipv6"];

/** Options each driver understands (Docker's driver documentation); anything else is reported as a warning. */
export const KNOWN_DRIVER_OPTIONS: Readonly<Record<NetworkDriver, readonly string[]>> = {
  bridge: [
    ...GENERIC,
    DriverOption.BridgeName,
    DriverOption.BridgeIcc,
    DriverOption.BridgeIpMasquerade,
    DriverOption.BridgeHostBindingIpv4,
    "com.docker.network.bridge.inhibit_ipv4",
    "com.docker.network.bridge.gateway_mode_ipv4",
    "com.docker.network.bridge.gateway_mode_ipv6",
    "com.docker.network.bridge.trusted_host_interfaces",
  ],
  macvlan: [...GENERIC, DriverOption.Parent, DriverOption.MacvlanMode],
  ipvlan: [...GENERIC, DriverOption.Parent, DriverOption.IpvlanMode, DriverOption.IpvlanFlag],
  overlay: [...GENERIC, DriverOption.OverlayEncrypted, "com.docker.network.driver.overlay.vxlanid_list"],
};
