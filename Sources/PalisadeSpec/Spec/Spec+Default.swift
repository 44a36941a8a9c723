import PalisadeModel

/// The defaults the spec falls back to; each is listed with its source in docs/defaults.md.
public enum Defaults {
    /// privateAML `terraform.tfvars.tmpl`.
    public static let name = "test"
    /// privateAML `terraform.tfvars.tmpl`.
    public static let location = "westeurope"
    /// privateAML `terraform.tfvars.tmpl`.
    public static let addressSpace = IPv4Prefix("10.1.0.0/22")!
    /// A placeholder subscription so IDs are complete; replace it with `subscriptionId`.
    public static let subscriptionID = "00000000-0000-0000-0000-000000000000"
    /// A client pool outside the RFC 1918 ranges the VNet usually takes, as in Microsoft's P2S how-to.
    public static let vpnClientAddressPool = IPv4Prefix("172.16.201.0/24")!
}
