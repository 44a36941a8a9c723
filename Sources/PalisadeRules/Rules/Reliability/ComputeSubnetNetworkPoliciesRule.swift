import PalisadeModel

/// No-public-IP compute needs both subnet network policies disabled, or creation fails with error E01.
public struct ComputeSubnetNetworkPoliciesRule: Rule {
    public static let description = RuleDescription(
        id: "compute_subnet_network_policies",
        title: "Compute Subnet Network Policies",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        No-public-IP compute is reached through a private link service Azure Batch creates in the compute subnet; \
        with privateEndpointNetworkPolicies or privateLinkServiceNetworkPolicies enabled, creation fails with: "The \
        specified subnet … has PrivateLinkServiceNetworkPolicies or PrivateEndpointNetworkPolicies enabled. Please \
        disable them to provision cluster/instance with no public IP."
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet; https://learn.microsoft.com/azure/private-link/disable-private-endpoint-network-policy; https://learn.microsoft.com/azure/batch/simplified-node-communication-pool-no-public-ip",
        fix: "set privateEndpointNetworkPolicies and privateLinkServiceNetworkPolicies to Disabled on the compute subnet",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
              "subnets": [{"name": "training", "properties": {"addressPrefix": "10.0.0.0/24",
                           "privateEndpointNetworkPolicies": "Enabled", "privateLinkServiceNetworkPolicies": "Enabled"}}]}},
            {"type": "Microsoft.MachineLearningServices/workspaces/computes", "apiVersion": "2024-04-01", "name": "ws/cluster",
             "location": "westeurope", "properties": {"computeType": "AmlCompute", "properties": {"enableNodePublicIp": false,
              "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'training')]"}}}}
            """, flagging: ["training"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.computeSubnets.compactMap { subnet in
            let noPublicIP = context.computes(in: subnet.id).filter { !$0.enableNodePublicIP }
            guard !noPublicIP.isEmpty,
                  subnet.privateEndpointNetworkPolicies != .disabled || subnet.privateLinkServiceNetworkPolicies != .disabled
            else { return nil }
            return context.finding(
                Self.self, subnet,
                "subnet '\(subnet.name)' hosts no-public-IP compute (\(noPublicIP.map(\.name).joined(separator: ", "))) but has network policies enabled; creation will fail with \"…has PrivateLinkServiceNetworkPolicies or PrivateEndpointNetworkPolicies enabled\"",
                evidence: [
                    .property(subnet.id, "properties.privateEndpointNetworkPolicies", subnet.privateEndpointNetworkPolicies.rawValue),
                    .property(subnet.id, "properties.privateLinkServiceNetworkPolicies", subnet.privateLinkServiceNetworkPolicies.rawValue),
                ] + noPublicIP.map { .related($0.id, "enableNodePublicIp = false") },
                property: subnet.privateEndpointNetworkPolicies != .disabled ? "properties.privateEndpointNetworkPolicies" : "properties.privateLinkServiceNetworkPolicies")
        }
    }
}

// MARK: - Fix

extension ComputeSubnetNetworkPoliciesRule {
    /// Disables both network policies on the compute subnet
    /// (https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet#compute-instancecluster-with-no-public-ip).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard context.graph.resource(finding.subject, as: Subnet.self) != nil else { return nil }
        return context.propose("set privateEndpointNetworkPolicies and privateLinkServiceNetworkPolicies to Disabled on '\(finding.subject.name)'") {
            $0.update(finding.subject, as: Subnet.self) {
                $0.privateEndpointNetworkPolicies = .disabled
                $0.privateLinkServiceNetworkPolicies = .disabled
            }
        }
    }
}
