import PalisadeModel
import PalisadeNetwork

/// An NSG on AzureBastionSubnet must allow every flow Bastion needs (docs/semantics.md#bastion).
public struct BastionSubnetNetworkSecurityGroupRule: Rule {
    public static let description = RuleDescription(
        id: "bastion_subnet_nsg_rules",
        title: "Bastion Subnet NSG Rules",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        Azure Bastion accepts an NSG on AzureBastionSubnet only if it admits: inbound 443 from Internet, 443 from \
        GatewayManager, 443 from AzureLoadBalancer and 8080/5701 within VirtualNetwork; outbound 22 and 3389 to \
        VirtualNetwork, 8080/5701 within VirtualNetwork, 443 to AzureCloud and 80 to Internet. Otherwise the \
        deployment is rejected as not compliant for AzureBastionSubnet, or Bastion sessions break.
        """,
        source: "https://learn.microsoft.com/azure/bastion/bastion-nsg; https://learn.microsoft.com/azure/bastion/configuration-settings",
        fix: "add the documented Bastion rules to the NSG ahead of any deny rule",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg-bastion", "location": "westeurope",
             "properties": {"securityRules": [
               {"name": "AllowHttpsFromOffice", "properties": {"priority": 120, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                "sourceAddressPrefix": "203.0.113.0/24", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "443"}},
               {"name": "DenyAllInbound", "properties": {"priority": 4096, "direction": "Inbound", "access": "Deny", "protocol": "*",
                "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "*"}}]}},
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
              "subnets": [{"name": "AzureBastionSubnet", "properties": {"addressPrefix": "10.0.250.0/26",
                "networkSecurityGroup": {"id": "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-bastion')]"}}}]}}
            """, flagging: ["AzureBastionSubnet"]),
        ]
    )

    public init() {}

    /// (direction, protocol, port, source, destination) Bastion needs (docs/semantics.md#bastion).
    private static let flows: [(SecurityRule.Direction, NetworkProtocol, Int, String, String)] = [
        (.inbound, .tcp, 443, "Internet", "VirtualNetwork"), (.inbound, .tcp, 443, "GatewayManager", "VirtualNetwork"),
        (.inbound, .tcp, 443, "AzureLoadBalancer", "VirtualNetwork"), (.inbound, .tcp, 8080, "VirtualNetwork", "VirtualNetwork"),
        (.inbound, .tcp, 5701, "VirtualNetwork", "VirtualNetwork"), (.outbound, .tcp, 22, "VirtualNetwork", "VirtualNetwork"),
        (.outbound, .tcp, 3389, "VirtualNetwork", "VirtualNetwork"), (.outbound, .tcp, 8080, "VirtualNetwork", "VirtualNetwork"),
        (.outbound, .tcp, 5701, "VirtualNetwork", "VirtualNetwork"), (.outbound, .tcp, 443, "VirtualNetwork", "AzureCloud"),
        (.outbound, .tcp, 80, "VirtualNetwork", "Internet"),
    ]

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(Subnet.self).compactMap { subnet in
            guard subnet.name.lowercased() == "azurebastionsubnet",
                  let nsg = context.graph.resource(subnet.networkSecurityGroup, as: NetworkSecurityGroup.self) else { return nil }
            let blocked: [(flow: String, rule: SecurityRule?)] = Self.flows.compactMap { direction, proto, port, source, destination in
                let first = nsg.firstMatch(direction, proto, port: port,
                                           source: { Self.covers($0, source, subnet) }, destination: { Self.covers($0, destination, subnet) })
                guard first?.access != .allow else { return nil }
                return ("\(direction.rawValue.lowercased()) \(port) \(source) → \(destination)", first)
            }
            guard !blocked.isEmpty else { return nil }
            return context.finding(
                Self.self, subnet,
                "subnet 'AzureBastionSubnet' has NSG '\(nsg.name)' that blocks \(blocked.map(\.flow).joined(separator: ", ")); Bastion will reject the NSG or fail to connect",
                evidence: blocked.map { .property(nsg.id, "flow \($0.flow)", $0.rule.map { "first match: \($0.summary)" } ?? "no rule matches") })
        }
    }

    /// Whether a rule side covers a Bastion flow side (GatewayManager and AzureCloud addresses are inside Internet).
    private static func covers(_ side: AddressMatch, _ tag: String, _ subnet: Subnet) -> Bool {
        switch tag {
        case "VirtualNetwork": side.covers(subnet: subnet)
        case "Internet": side.isInternetWide
        case "AzureLoadBalancer": side == .any || side.tagName == "azureloadbalancer"
        default: side.covers(tag: tag)
        }
    }
}

// MARK: - Fix

extension BastionSubnetNetworkSecurityGroupRule {
    /// Adds the documented Bastion rules the NSG lacks, ahead of the rules that block them
    /// (https://learn.microsoft.com/azure/bastion/bastion-nsg); Bastion's own traffic is the fix's purpose.
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let subnet = context.graph.resource(finding.subject, as: Subnet.self),
              var nsg = context.graph.resource(subnet.networkSecurityGroup, as: NetworkSecurityGroup.self) else { return nil }
        var added: [String] = []
        for rule in BastionNetworkSecurityRules.rules {
            let ports: [Int] = if case .ranges(let ranges) = rule.destinationPorts { ranges.map(\.lower) } else { [] }
            // The first custom rule of the direction that a flow of this rule meets and that does not allow it.
            let blocking = ports.compactMap { port in
                nsg.firstMatch(rule.direction, .tcp, port: port, source: { Self.covers($0, rule.source.displayText, subnet) || rule.source == .any },
                               destination: { Self.covers($0, rule.destination.displayText, subnet) || rule.destination == .any })
            }.filter { $0.access == .deny && $0.priority <= 4096 }
            let flowsBlocked = ports.contains { port in
                nsg.firstMatch(rule.direction, .tcp, port: port, source: { Self.covers($0, rule.source.displayText == "*" ? "VirtualNetwork" : rule.source.displayText, subnet) },
                               destination: { Self.covers($0, rule.destination.displayText == "*" ? "VirtualNetwork" : rule.destination.displayText, subnet) })?.access != .allow
            }
            guard flowsBlocked else { continue }
            guard nsg.insert(rule, before: blocking.map(\.priority).min() ?? 4097) else { return nil }
            added.append(rule.name)
        }
        guard !added.isEmpty else { return nil }
        let fixed = nsg
        return context.propose("add Bastion's rules \(added.map { "'\($0)'" }.joined(separator: ", ")) to '\(nsg.name)' ahead of the rules that block them",
                               opens: .subnets([subnet]).union(.internet)) { $0.insert(fixed) }
    }
}
