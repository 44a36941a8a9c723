import PalisadeModel
import PalisadeNetwork

/// Public-IP compute needs inbound TCP 44224 from AzureMachineLearning through the subnet NSG.
public struct ComputeInboundManagementBlockedRule: Rule {
    public static let description = RuleDescription(
        id: "compute_inbound_management_blocked",
        title: "Compute Inbound Management Blocked",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        Azure Machine Learning creates, updates and deletes public-IP compute over inbound TCP 44224 from the \
        AzureMachineLearning service tag. The NSG it creates allows that, but a subnet NSG is evaluated too, and its \
        default DenyAllInBound blocks the port unless a rule allows it, so compute creation fails.
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet; https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview",
        fix: "allow inbound TCP 44224 from AzureMachineLearning to VirtualNetwork in the compute subnet's NSG, or use no-public-IP compute",
        passingExamples: [.spec("{}"), .spec("compute: {publicIp: true}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg-training", "location": "westeurope",
             "properties": {"securityRules": []}},
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
              "subnets": [{"name": "training", "properties": {"addressPrefix": "10.0.0.0/24",
                "networkSecurityGroup": {"id": "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-training')]"}}}]}},
            {"type": "Microsoft.MachineLearningServices/workspaces/computes", "apiVersion": "2024-04-01", "name": "ws/cluster",
             "location": "westeurope", "properties": {"computeType": "AmlCompute", "properties": {"enableNodePublicIp": true,
              "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'training')]"}}}}
            """, flagging: ["training"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.computeSubnets.compactMap { subnet in
            let publicCompute = context.computes(in: subnet.id).filter(\.enableNodePublicIP)
            guard !publicCompute.isEmpty, let nsg = context.graph.resource(subnet.networkSecurityGroup, as: NetworkSecurityGroup.self),
                  let first = nsg.firstMatch(.inbound, .tcp, port: 44224, source: { $0.covers(tag: "AzureMachineLearning") },
                                             destination: { $0.covers(subnet: subnet) }),
                  first.access == .deny else { return nil }
            return context.finding(
                Self.self, subnet,
                "subnet '\(subnet.name)' hosts public-IP compute (\(publicCompute.map(\.name).joined(separator: ", "))) but NSG '\(nsg.name)' denies inbound TCP 44224 from AzureMachineLearning; compute creation will fail",
                evidence: [.property(nsg.id, "properties.securityRules[\(first.name)]", "first match for TCP 44224 from AzureMachineLearning: \(first.summary)")]
                    + publicCompute.map { .related($0.id, "enableNodePublicIp = true") })
        }
    }
}

// MARK: - Fix

extension ComputeInboundManagementBlockedRule {
    /// Allows inbound TCP 44224 from AzureMachineLearning to the subnet ahead of the deny
    /// (https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet#compute-instancecluster-with-public-ip);
    /// that inbound path is the fix's purpose.
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let subnet = context.graph.resource(finding.subject, as: Subnet.self),
              let nsg = context.graph.resource(subnet.networkSecurityGroup, as: NetworkSecurityGroup.self),
              let deny = nsg.firstMatch(.inbound, .tcp, port: 44224, source: { $0.covers(tag: "AzureMachineLearning") }, destination: { $0.covers(subnet: subnet) })
        else { return nil }
        var fixed = nsg
        let rule = SecurityRule(name: "AllowAzureMachineLearningInbound", priority: 100, direction: .inbound, access: .allow, protocol: .tcp,
                                source: .serviceTag("AzureMachineLearning"), destination: .prefixes(subnet.addressPrefixes), destinationPorts: .ranges([PortRange(44224)]))
        guard fixed.insert(rule, before: deny.priority) else { return nil }
        return context.propose("allow inbound TCP 44224 from AzureMachineLearning to '\(subnet.name)' in '\(nsg.name)' ahead of '\(deny.name)'",
                               opens: .subnets([subnet])) { $0.insert(fixed) }
    }
}
