import PalisadeModel

/// FQDNs in firewall network rules need DNS proxy, or the firewall and clients resolve differently (docs/semantics.md#firewall-network-rules).
public struct FirewallFqdnNetworkRuleDnsProxyRule: Rule {
    public static let description = RuleDescription(
        id: "firewall_fqdn_network_rule_dns_proxy",
        title: "Firewall FQDN Network Rule DNS Proxy",
        kind: .connectivity,
        defaultSeverity: .warning,
        rationale: """
        A network rule with destination FQDNs matches packets against the addresses the firewall itself resolved. \
        Without DNS proxy (and clients using the firewall as their DNS server) the clients may get other addresses \
        from DNS than the firewall did, and allowed traffic is dropped at random.
        """,
        source: "https://learn.microsoft.com/azure/firewall/fqdn-filtering-network-rules; https://learn.microsoft.com/azure/firewall/dns-settings; docs/defaults.md (DNS proxy on)",
        fix: "enable DNS proxy on the firewall policy and point the VNets' DNS servers at the firewall's private IP, or use application rules for HTTP(S) FQDNs",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/firewallPolicies", "apiVersion": "2023-09-01", "name": "fwpol", "location": "westeurope",
             "properties": {"sku": {"tier": "Standard"}, "threatIntelMode": "Deny"}},
            {"type": "Microsoft.Network/firewallPolicies/ruleCollectionGroups", "apiVersion": "2023-09-01", "name": "fwpol/rcg",
             "dependsOn": ["[resourceId('Microsoft.Network/firewallPolicies', 'fwpol')]"],
             "properties": {"priority": 200, "ruleCollections": [{"ruleCollectionType": "FirewallPolicyFilterRuleCollection",
               "name": "net", "priority": 100, "action": {"type": "Allow"}, "rules": [
                 {"ruleType": "NetworkRule", "name": "ntp", "ipProtocols": ["UDP"], "sourceAddresses": ["10.0.0.0/24"],
                  "destinationFqdns": ["time.windows.com"], "destinationPorts": ["123"]}]}]}}
            """, flagging: ["fwpol"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        let classic: [Finding] = context.graph.all(AzureFirewall.self).compactMap { firewall in
            guard firewall.firewallPolicy == nil, !firewall.dnsProxyEnabled else { return nil }
            return finding(context, firewall, Self.fqdnRules(firewall.networkRuleCollections), proxyProperty: "properties.additionalProperties.Network.DNS.EnableProxy")
        }
        let policies: [Finding] = context.graph.all(FirewallPolicy.self).compactMap { policy in
            guard !policy.dnsProxyEnabled else { return nil }
            return finding(context, policy, Self.fqdnRules(policy.ruleCollectionGroups.flatMap(\.ruleCollections)), proxyProperty: "properties.dnsSettings.enableProxy")
        }
        return classic + policies
    }

    private func finding<T: AzureResource>(_ context: RuleContext, _ resource: T, _ rules: [NetworkRule], proxyProperty: String) -> Finding? {
        guard !rules.isEmpty else { return nil }
        return context.finding(
            Self.self, resource,
            "firewall '\(resource.name)' matches network rules on FQDNs (\(rules.map(\.name).joined(separator: ", "))) without DNS proxy; clients may resolve other addresses than the firewall and be dropped",
            evidence: [.property(resource.id, proxyProperty, "false")]
                + rules.map { .property(resource.id, "network rule \($0.name).destinationFqdns", $0.destinationFqdns.joined(separator: ", ")) })
    }

    private static func fqdnRules(_ collections: [FirewallRuleCollection]) -> [NetworkRule] {
        collections.flatMap(\.rules).compactMap { rule in
            if case .network(let r) = rule, !r.destinationFqdns.isEmpty { return r }
            return nil
        }
    }
}

// MARK: - Fix

extension FirewallFqdnNetworkRuleDnsProxyRule {
    /// Turns DNS proxy on and points the VNets whose default route goes to the firewall at its private IP for DNS
    /// (https://learn.microsoft.com/azure/firewall/dns-settings#dns-proxy,
    /// https://learn.microsoft.com/azure/firewall/fqdn-filtering-network-rules).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        let graph = context.graph
        let firewalls: [AzureFirewall]
        if graph.resource(finding.subject, as: FirewallPolicy.self) != nil {
            firewalls = graph.all(AzureFirewall.self).filter { $0.firewallPolicy == finding.subject }
        } else if let firewall = graph.resource(finding.subject, as: AzureFirewall.self) {
            firewalls = [firewall]
        } else { return nil }
        let addresses = Set(firewalls.compactMap { firewall in
            firewall.privateIPAddress ?? graph.resource(firewall.ipConfigurations.first?.subnet, as: Subnet.self)?.addressPrefixes.first?.firstAzureUsable
        })
        // VNets with a subnet whose 0.0.0.0/0 goes to one of these firewalls, and that use Azure DNS today.
        var clients: [ResourceID: IPv4Address] = [:]
        for subnet in graph.all(Subnet.self) {
            guard let table = graph.resource(subnet.routeTable, as: RouteTable.self),
                  let hop = table.routes.first(where: { if case .prefix(let p) = $0.destination { p.length == 0 } else { false } })?.nextHopIPAddress,
                  addresses.contains(hop), graph.resource(subnet.virtualNetwork, as: VirtualNetwork.self)?.dnsServers.isEmpty == true else { continue }
            clients[subnet.virtualNetwork] = hop
        }
        let vnets = clients.keys.sorted()
        return context.propose("enable DNS proxy on '\(finding.subject.name)'" + (vnets.isEmpty ? "" : " and use the firewall as DNS server in \(vnets.map { "'\($0.name)'" }.joined(separator: ", "))")) { graph in
            graph.update(finding.subject, as: FirewallPolicy.self) { $0.dnsProxyEnabled = true }
            graph.update(finding.subject, as: AzureFirewall.self) { $0.dnsProxyEnabled = true }
            for (vnet, address) in clients { graph.update(vnet, as: VirtualNetwork.self) { $0.dnsServers = [address] } }
        }
    }
}
