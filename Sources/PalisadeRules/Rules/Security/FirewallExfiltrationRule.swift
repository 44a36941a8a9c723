import PalisadeModel

/// Firewall allowances that admit any storage account or Front Door backend.
public struct FirewallExfiltrationRule: Rule {
    public static let description = RuleDescription(
        id: "firewall_exfiltration_allowance",
        title: "Firewall Exfiltration Allowance",
        kind: .security,
        defaultSeverity: .warning,
        rationale: """
        The Storage and Storage.<region> service tags and FQDN wildcards such as *.blob.core.windows.net or \
        *core.windows.net admit every storage account, including one an insider owns, and AzureFrontDoor.FrontEnd \
        admits any Front Door backend; data can leave through them however tight the rest of the allow-list is.
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-prevent-data-loss-exfiltration; https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoint-policies-overview; https://learn.microsoft.com/azure/machine-learning/how-to-access-azureml-behind-firewall",
        fix: "remove the broad allowance; reach storage through private endpoints or a Microsoft.Storage service endpoint with a service endpoint policy (workspace storage plus the /services/Azure/MachineLearning alias), and replace AzureFrontDoor.FrontEnd with ml.azure.com and the AutoML FQDN",
        passingExamples: [.spec("{}")],
        failingExamples: [
            // privateAML's allow-list (examples/privateaml.yaml) opens Storage.<region> and *core.windows.net.
            .spec("firewall: {profile: privateaml}", flagging: ["afwp-test"]),
            .arm("""
            {"type": "Microsoft.Network/azureFirewalls", "apiVersion": "2023-09-01", "name": "fw", "location": "westeurope",
             "properties": {"sku": {"name": "AZFW_VNet", "tier": "Standard"},
              "networkRuleCollections": [{"name": "net", "properties": {"priority": 200, "action": {"type": "Allow"}, "rules": [
                {"name": "storage", "protocols": ["TCP"], "sourceAddresses": ["10.0.0.0/24"], "destinationAddresses": ["Storage.WestEurope"], "destinationPorts": ["443"]},
                {"name": "aad", "protocols": ["TCP"], "sourceAddresses": ["10.0.0.0/24"], "destinationAddresses": ["AzureActiveDirectory"], "destinationPorts": ["443"]}]}}],
              "applicationRuleCollections": [{"name": "app", "properties": {"priority": 300, "action": {"type": "Allow"}, "rules": [
                {"name": "blob", "protocols": [{"protocolType": "Https", "port": 443}], "sourceAddresses": ["10.0.0.0/24"],
                 "targetFqdns": ["*.blob.core.windows.net"]}]}}]}},
            {"type": "Microsoft.Network/firewallPolicies", "apiVersion": "2023-09-01", "name": "fwpol", "location": "westeurope",
             "properties": {"sku": {"tier": "Standard"}}},
            {"type": "Microsoft.Network/firewallPolicies/ruleCollectionGroups", "apiVersion": "2023-09-01", "name": "fwpol/rcg",
             "dependsOn": ["[resourceId('Microsoft.Network/firewallPolicies', 'fwpol')]"],
             "properties": {"priority": 200, "ruleCollections": [{"ruleCollectionType": "FirewallPolicyFilterRuleCollection",
               "name": "app", "priority": 100, "action": {"type": "Allow"}, "rules": [
                 {"ruleType": "ApplicationRule", "name": "core", "protocols": [{"protocolType": "Https", "port": 443}],
                  "sourceAddresses": ["*"], "targetFqdns": ["*core.windows.net"]},
                 {"ruleType": "NetworkRule", "name": "afd", "ipProtocols": ["TCP"], "sourceAddresses": ["*"],
                  "destinationAddresses": ["AzureFrontDoor.FrontEnd"], "destinationPorts": ["443"]}]}]}}
            """, flagging: ["fw", "fwpol"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        for firewall in context.graph.all(AzureFirewall.self) {
            let hits = Self.allowances(in: firewall.networkRuleCollections + firewall.applicationRuleCollections)
            if !hits.isEmpty { findings.append(finding(context, firewall, hits)) }
        }
        for policy in context.graph.all(FirewallPolicy.self) {
            let hits = Self.allowances(in: policy.ruleCollectionGroups.flatMap(\.ruleCollections))
            if !hits.isEmpty { findings.append(finding(context, policy, hits)) }
        }
        return findings
    }

    private func finding<T: AzureResource>(_ context: RuleContext, _ resource: T, _ hits: [(collection: String, rule: String, what: String)]) -> Finding {
        context.finding(
            Self.self, resource,
            "firewall '\(resource.name)' allows \(Set(hits.map(\.what)).sorted().joined(separator: ", ")), which admit storage accounts or Front Door backends anyone can create (exfiltration path)",
            evidence: hits.map { .property(resource.id, "rule \($0.collection)/\($0.rule)", $0.what) })
    }

    /// (collection, rule, destination) for every Allow rule that names an exfiltration destination.
    private static func allowances(in collections: [FirewallRuleCollection]) -> [(collection: String, rule: String, what: String)] {
        collections.filter { $0.action == .allow }.sorted { ($0.priority, $0.name) < ($1.priority, $1.name) }.flatMap { collection in
            collection.rules.flatMap { rule -> [(collection: String, rule: String, what: String)] in
                switch rule {
                case .network(let r):
                    return r.destinationAddresses.filter(ExfiltrationDestination.isExfiltrationTag).map { (collection.name, r.name, $0) }
                        + r.destinationFqdns.filter(ExfiltrationDestination.isStorageWildcard).map { (collection.name, r.name, $0) }
                case .application(let r):
                    return r.targetFqdns.filter(ExfiltrationDestination.isStorageWildcard).map { (collection.name, r.name, $0) }
                case .nat:
                    return []
                }
            }
        }
    }
}

// MARK: - Fix

extension FirewallExfiltrationRule {
    /// Removes the storage-wide and Front Door destinations from the Allow rules (a rule left without destinations is
    /// deleted); the workspace's own storage is reached through its private endpoints
    /// (https://learn.microsoft.com/azure/machine-learning/how-to-prevent-data-loss-exfiltration). For a spec, the
    /// AML-required profile lists the same services without the wildcards.
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        func prune(_ collections: [FirewallRuleCollection]) -> [FirewallRuleCollection] {
            collections.compactMap { collection in
                guard collection.action == .allow else { return collection }
                var copy = collection
                copy.rules = collection.rules.compactMap { rule in
                    switch rule {
                    case .network(var r):
                        let before = r.destinationAddresses.count + r.destinationFqdns.count
                        r.destinationAddresses.removeAll(where: ExfiltrationDestination.isExfiltrationTag)
                        r.destinationFqdns.removeAll(where: ExfiltrationDestination.isStorageWildcard)
                        let after = r.destinationAddresses.count + r.destinationFqdns.count
                        return after == 0 && before > 0 && r.destinationIPGroups.isEmpty ? nil : .network(r)
                    case .application(var r):
                        let before = r.targetFqdns.count
                        r.targetFqdns.removeAll(where: ExfiltrationDestination.isStorageWildcard)
                        return r.targetFqdns.isEmpty && before > 0 && r.fqdnTags.isEmpty && r.webCategories.isEmpty ? nil : .application(r)
                    case .nat:
                        return rule
                    }
                }
                return copy.rules.isEmpty && !collection.rules.isEmpty ? nil : copy
            }
        }
        guard context.graph.resource(finding.subject, as: FirewallPolicy.self) != nil || context.graph.resource(finding.subject, as: AzureFirewall.self) != nil
        else { return nil }
        return context.propose("remove the storage-wide and Front Door destinations from the Allow rules of '\(finding.subject.name)'",
                               spec: [SpecPatch("firewall.profile", "aml-required")]) { graph in
            graph.update(finding.subject, as: FirewallPolicy.self) { policy in
                for index in policy.ruleCollectionGroups.indices {
                    policy.ruleCollectionGroups[index].ruleCollections = prune(policy.ruleCollectionGroups[index].ruleCollections)
                }
                policy.ruleCollectionGroups.removeAll { $0.ruleCollections.isEmpty }
            }
            graph.update(finding.subject, as: AzureFirewall.self) {
                $0.networkRuleCollections = prune($0.networkRuleCollections)
                $0.applicationRuleCollections = prune($0.applicationRuleCollections)
            }
        }
    }
}
