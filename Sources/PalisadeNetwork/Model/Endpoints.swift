import PalisadeModel

/// What sits behind a private IP address in the compiled model.
public enum EndpointKind: String, Sendable, Hashable, Codable {
    /// A network interface (VM or other).
    case networkInterface
    /// A private endpoint's NIC (docs/semantics.md#private-endpoint-routes, #private-endpoint-network-policies).
    case privateEndpoint
    /// An Azure Firewall's data-path address (docs/semantics.md#azure-firewall).
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
    /// NIC-level NSG (docs/semantics.md#nsg-subnet-and-nic).
    public var networkSecurityGroup: ResourceID?
    /// Application security groups (docs/semantics.md#application-security-groups).
    public var applicationSecurityGroups: [ResourceID]
    /// The public IP attached to this configuration, if known.
    public var publicAddress: IPv4Address?
    /// IP forwarding (docs/semantics.md#ip-forwarding).
    public var ipForwarding: Bool
    /// True when the address was not in the input and was allocated by the engine (.4 upward, docs/engine-decisions.md).
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

/// Member names a private endpoint gets per sub-resource, in IP allocation order (docs/semantics.md#private-dns-zones-per-service, #workspace-names).
enum PrivateEndpointMembers {
    static func members(groupID: String, target: ResourceID, region: String?) -> [String] {
        switch groupID.lowercased() {
        case "amlworkspace": ["default", "notebook", "inference"]  // docs/semantics.md#workspace-names: PE IP #1, #2, #3
        case "registry": ["registry", "registry_data_\((region ?? "region").lowercased())"]  // docs/semantics.md#private-dns-zones-per-service
        default: ["default"]
        }
    }

    /// A static address the endpoint declares for a member whose configuration names it differently: Azure's own
    /// examples name a single-member sub-resource's member after the group (`sites`/`sites`, `blob`/`blob`), so the
    /// group's first member takes a configuration whose member name is the group, is empty, or is the group's only one
    /// (https://learn.microsoft.com/azure/private-link/manage-private-endpoint, docs/semantics.md#private-endpoint-static-addresses).
    static func staticAddress(_ pe: PrivateEndpoint, group: String, member: String) -> IPv4Address? {
        let members = members(groupID: group, target: pe.target ?? pe.id, region: nil)
        guard member == members.first || members.count == 1 else { return nil }
        let configs = pe.ipConfigurations.filter { $0.groupID.isEmpty || $0.groupID.lowercased() == group.lowercased() }
        let known = Set(members.map { $0.lowercased() })
        let candidates = configs.filter { !known.contains($0.memberName.lowercased()) }
        if let named = candidates.first(where: { $0.memberName.lowercased() == group.lowercased() || $0.memberName.isEmpty }) {
            return named.privateIPAddress
        }
        return configs.count == 1 && members.count == 1 ? configs[0].privateIPAddress : nil
    }
}
