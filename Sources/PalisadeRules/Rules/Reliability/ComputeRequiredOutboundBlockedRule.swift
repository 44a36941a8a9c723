import PalisadeModel
import PalisadeNetwork

/// The compute subnet's NSG must let the required service tags out (docs/semantics.md#aml-compute-outbound).
public struct ComputeRequiredOutboundBlockedRule: Rule {
    public static let description = RuleDescription(
        id: "compute_required_outbound_blocked",
        title: "Compute Required Outbound Blocked",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        Compute nodes must reach Microsoft Entra ID, the Azure Machine Learning service, the Azure Batch back end \
        (BatchNodeManagement.<region>) and Azure Resource Manager on TCP 443. When the compute subnet's NSG denies one \
        of them before allowing it, nodes fail with "The specified Azure ML Compute Instance … encountered an unusable \
        node". The firewall's allow-list is checked separately; this rule reads only the NSG.
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet; https://learn.microsoft.com/azure/machine-learning/how-to-access-azureml-behind-firewall; Azure/Batch#67",
        fix: "allow outbound TCP 443 to the listed service tags in the compute subnet's NSG ahead of the deny rule",
        passingExamples: [.spec("{}"), .spec("compute: {publicIp: true}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg-training", "location": "westeurope",
             "properties": {"securityRules": [
               {"name": "AllowStorage", "properties": {"priority": 100, "direction": "Outbound", "access": "Allow", "protocol": "Tcp",
                "sourceAddressPrefix": "VirtualNetwork", "sourcePortRange": "*", "destinationAddressPrefix": "Storage", "destinationPortRanges": ["443", "445"]}},
               {"name": "AllowAml", "properties": {"priority": 110, "direction": "Outbound", "access": "Allow", "protocol": "Tcp",
                "sourceAddressPrefix": "VirtualNetwork", "sourcePortRange": "*", "destinationAddressPrefix": "AzureMachineLearning", "destinationPortRange": "443"}},
               {"name": "DenyAll", "properties": {"priority": 4000, "direction": "Outbound", "access": "Deny", "protocol": "*",
                "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "*"}}]}},
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
              "subnets": [{"name": "training", "properties": {"addressPrefix": "10.0.0.0/24",
                "networkSecurityGroup": {"id": "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-training')]"}}}]}},
            {"type": "Microsoft.MachineLearningServices/workspaces/computes", "apiVersion": "2024-04-01", "name": "ws/cluster",
             "location": "westeurope", "properties": {"computeType": "AmlCompute", "properties": {"enableNodePublicIp": false,
              "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'training')]"}}}}
            """, flagging: ["training"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.computeSubnets.compactMap { subnet in
            guard let nsg = context.graph.resource(subnet.networkSecurityGroup, as: NetworkSecurityGroup.self) else { return nil }
            let region = context.graph.resource(subnet.virtualNetwork, as: VirtualNetwork.self)?.location
                ?? context.computes(in: subnet.id).first?.location
            let batch = region.flatMap(AzureRegion.named).map { $0.tag("BatchNodeManagement") } ?? "BatchNodeManagement"
            let blocked: [(tag: String, rule: SecurityRule)] = ["AzureActiveDirectory", "AzureMachineLearning", batch, "AzureResourceManager"]
                .compactMap { tag in
                    guard let first = nsg.firstMatch(.outbound, .tcp, port: 443, source: { $0.covers(subnet: subnet) },
                                                     destination: { $0.covers(tag: tag) }),
                          first.access == .deny else { return nil }
                    return (tag, first)
                }
            guard !blocked.isEmpty else { return nil }
            return context.finding(
                Self.self, subnet,
                "subnet '\(subnet.name)' hosts compute but NSG '\(nsg.name)' denies outbound TCP 443 to \(blocked.map(\.tag).joined(separator: ", ")); nodes will fail with \"encountered an unusable node\"",
                evidence: blocked.map { .property(nsg.id, "properties.securityRules[\($0.rule.name)]", "first match for TCP 443 to \($0.tag): \($0.rule.summary)") })
        }
    }
}

// MARK: - Fix

extension ComputeRequiredOutboundBlockedRule {
    /// Allows outbound TCP 443 from the subnet to each blocked service tag ahead of the deny
    /// (https://learn.microsoft.com/azure/machine-learning/how-to-access-azureml-behind-firewall); those tags are the
    /// fix's purpose.
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let subnet = context.graph.resource(finding.subject, as: Subnet.self),
              var nsg = context.graph.resource(subnet.networkSecurityGroup, as: NetworkSecurityGroup.self) else { return nil }
        let region = context.graph.resource(subnet.virtualNetwork, as: VirtualNetwork.self)?.location ?? context.computes(in: subnet.id).first?.location
        let batch = region.flatMap(AzureRegion.named).map { $0.tag("BatchNodeManagement") } ?? "BatchNodeManagement"
        var opens = AddressSet.empty
        var added: [String] = []
        for tag in ["AzureActiveDirectory", "AzureMachineLearning", batch, "AzureResourceManager"] {
            guard let first = nsg.firstMatch(.outbound, .tcp, port: 443, source: { $0.covers(subnet: subnet) }, destination: { $0.covers(tag: tag) }),
                  first.access == .deny else { continue }
            let rule = SecurityRule(name: "Allow\(tag.filter { $0.isLetter })Outbound", priority: 100, direction: .outbound, access: .allow, protocol: .tcp,
                                    source: .prefixes(subnet.addressPrefixes), destination: .serviceTag(tag), destinationPorts: .ranges([PortRange(443)]))
            guard nsg.insert(rule, before: first.priority) else { return nil }
            opens = opens.union(.atom(.tag(tag)))
            added.append(tag)
        }
        guard !added.isEmpty else { return nil }
        let fixed = nsg
        return context.propose("allow outbound TCP 443 from '\(subnet.name)' to \(added.joined(separator: ", ")) in '\(nsg.name)' ahead of the deny rules",
                               opens: opens) { $0.insert(fixed) }
    }
}
