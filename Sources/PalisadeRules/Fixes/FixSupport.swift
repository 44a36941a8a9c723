import PalisadeModel
import PalisadeNetwork

/// Model edits several rules' fixes share.
extension ResourceID {
    /// The ID of a sibling top-level resource in the same subscription and resource group.
    func sibling(namespace: String, type: String, name: String) -> ResourceID {
        ResourceID(subscription: subscriptionID ?? "00000000-0000-0000-0000-000000000000", resourceGroup: resourceGroupName ?? "rg",
                   namespace: namespace, [(type, name)])
    }
}

extension NetworkSecurityGroup {
    /// The lowest custom-rule priority (100–4096) unused in `direction` and below `limit`, counting up from `from`.
    func freePriority(_ direction: SecurityRule.Direction, from: Int = 100, below limit: Int = 4097) -> Int? {
        let used = Set(securityRules.filter { $0.direction == direction }.map(\.priority))
        return (max(100, from)..<min(4097, limit)).first { !used.contains($0) }
    }

    /// Adds `rule` at the lowest free priority that is evaluated before `limit`; false when there is no room.
    mutating func insert(_ rule: SecurityRule, before limit: Int = 4097) -> Bool {
        guard let priority = freePriority(rule.direction, below: limit) else { return false }
        var placed = rule
        placed.priority = priority
        var name = placed.name
        var n = 2
        while securityRules.contains(where: { $0.name.lowercased() == name.lowercased() }) { name = "\(placed.name)-\(n)"; n += 1 }
        placed.name = name
        securityRules.append(placed)
        return true
    }
}

extension AddressSet {
    /// The addresses of subnets.
    static func subnets(_ subnets: [Subnet]) -> AddressSet { .prefixes(subnets.flatMap(\.addressPrefixes)) }
}

/// The NSG rules Azure Bastion needs on AzureBastionSubnet (https://learn.microsoft.com/azure/bastion/bastion-nsg).
enum BastionNetworkSecurityRules {
    /// Inbound and outbound Allow rules in the documented shape; priorities are placeholders the caller reassigns.
    static let rules: [SecurityRule] = [
        rule("AllowHttpsInbound", .inbound, "Internet", "*", [443]),
        rule("AllowGatewayManagerInbound", .inbound, "GatewayManager", "*", [443]),
        rule("AllowAzureLoadBalancerInbound", .inbound, "AzureLoadBalancer", "*", [443]),
        rule("AllowBastionHostCommunication", .inbound, "VirtualNetwork", "VirtualNetwork", [8080, 5701]),
        rule("AllowSshRdpOutbound", .outbound, "*", "VirtualNetwork", [22, 3389]),
        rule("AllowAzureCloudOutbound", .outbound, "*", "AzureCloud", [443]),
        rule("AllowBastionCommunication", .outbound, "VirtualNetwork", "VirtualNetwork", [8080, 5701]),
        rule("AllowHttpOutbound", .outbound, "*", "Internet", [80]),
    ]

    private static func rule(_ name: String, _ direction: SecurityRule.Direction, _ source: String, _ destination: String, _ ports: [Int]) -> SecurityRule {
        SecurityRule(name: name, priority: 100, direction: direction, access: .allow, protocol: .tcp,
                     source: .parse(source), destination: .parse(destination), destinationPorts: .ranges(ports.map { PortRange($0) }))
    }
}
