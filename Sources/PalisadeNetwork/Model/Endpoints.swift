import PalisadeModel

/// What sits behind a private IP address in the compiled model.
public enum EndpointKind: String, Sendable, Hashable, Codable {
    /// A network interface (VM or other).
    case networkInterface
    /// A private endpoint's NIC (R6, R20–R22).
    case privateEndpoint
    /// An Azure Firewall's data-path address (§4).
    case azureFirewall
    /// A Bastion host.
    case bastionHost
    /// A virtual network gateway.
    case virtualNetworkGateway
}

/// One private address of the estate and what owns it.
public struct Endpoint: Sendable, Hashable, Codable {
    /// The private IP.
    public var address: IPv4Address
    /// Owner kind.
    public var kind: EndpointKind
    /// The owning resource (NIC, private endpoint, firewall, Bastion, gateway).
    public var resource: ResourceID
    /// The subnet.
    public var subnet: ResourceID
    /// NIC-level NSG (N10, N11).
    public var networkSecurityGroup: ResourceID?
    /// Application security groups (N17).
    public var applicationSecurityGroups: [ResourceID]
    /// The public IP attached to this configuration, if known.
    public var publicAddress: IPv4Address?
    /// IP forwarding (R9).
    public var ipForwarding: Bool
    /// True when the address was not in the input and was allocated by the engine (.4 upward, architecture.md).
    public var addressAssumed: Bool
    /// Private endpoint sub-resource and member (`amlworkspace`/`default`, `registry`/`registry_data_<region>`…).
    public var groupID: String?
    /// Private endpoint member name.
    public var memberName: String?
    /// The private endpoint target.
    public var target: ResourceID?
    /// The VM using the NIC, if any.
    public var virtualMachine: ResourceID?

    /// A short human name: `vm1/nic1`, `pe-blob (blob)`, `fw1`.
    public var displayName: String {
        switch kind {
        case .privateEndpoint: "\(resource.name) (\(memberName ?? groupID ?? "default"))"
        case .networkInterface: virtualMachine.map { "\($0.name)/\(resource.name)" } ?? resource.name
        default: resource.name
        }
    }
}

/// Member names a private endpoint gets per sub-resource, in IP allocation order (D12, D13).
enum PrivateEndpointMembers {
    static func members(groupID: String, target: ResourceID, region: String?) -> [String] {
        switch groupID.lowercased() {
        case "amlworkspace": ["default", "notebook", "inference"]  // D13: PE IP #1, #2, #3
        case "registry": ["registry", "registry_data_\((region ?? "region").lowercased())"]  // D12
        default: ["default"]
        }
    }
}
