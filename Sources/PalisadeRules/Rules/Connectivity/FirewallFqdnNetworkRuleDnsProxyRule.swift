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
