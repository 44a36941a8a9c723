import PalisadeModel

/// The address plan: the VNet space and every subnet with what it hosts and how full it will be.
public struct AddressPlan: Sendable, Hashable, Codable {
    /// The VNet address space.
    public var addressSpace: IPv4Prefix
    /// Subnets in address order (reserved blocks included, flagged).
    public var subnets: [PlannedSubnet]

    /// The subnet with this name.
    public func subnet(named name: String) -> PlannedSubnet? { subnets.first { $0.name == name } }

    /// The first deployable subnet that hosts `use`.
    public func subnet(for use: SubnetUse) -> PlannedSubnet? {
        subnets.first { $0.uses.contains(use) && !$0.isReserved }
    }
}

/// One subnet of the plan.
public struct PlannedSubnet: Sendable, Hashable, Codable {
    /// Name (special subnets carry Azure's exact names).
    public var name: String
    /// Prefix.
    public var prefix: IPv4Prefix
    /// What it hosts.
    public var uses: [SubnetUse]
    /// Addresses the design places in it (nodes, instances, endpoint IPs, VMs, platform instances).
    public var addressesNeeded: Int
    /// Usable addresses (size minus Azure's 5, docs/semantics.md#reserved-addresses).
    public var usableAddresses: Int { prefix.azureUsableCount }
    /// Whether the block is held back and not deployed.
    public var isReserved: Bool { uses == [.reserved] }
}

/// Names and minimum sizes of Azure's special subnets (docs/semantics.md#bastion, #gateway-subnet, #firewall-placement).
public enum SpecialSubnet: String, CaseIterable, Sendable {
    case firewall = "AzureFirewallSubnet"
    case firewallManagement = "AzureFirewallManagementSubnet"
    case bastion = "AzureBastionSubnet"
    case gateway = "GatewaySubnet"

    /// The largest prefix length Azure accepts for the subnet.
    public var maximumPrefixLength: Int {
        switch self {
        case .firewall, .firewallManagement, .bastion: 26  // docs/semantics.md#firewall-placement, #bastion
        case .gateway: 27  // docs/semantics.md#gateway-subnet (/29 only for the Basic SKU, which we never plan)
        }
    }

    /// The special subnet with this exact name (Azure matches these names case-sensitively in practice;
    /// a case-insensitive match is reported as an error by the planner).
    public static func named(_ name: String) -> SpecialSubnet? { SpecialSubnet(rawValue: name) }
}
