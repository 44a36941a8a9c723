import PalisadeModel
import PalisadeNetwork

/// No-public-IP compute needs a private endpoint to its workspace.
public struct ComputeWithoutWorkspaceEndpointRule: Rule {
    public static let description = RuleDescription(
        id: "compute_without_workspace_endpoint",
        title: "Compute Without Workspace Endpoint",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        Compute with no public IP reaches the workspace only through the workspace's private endpoint; without one, \
        creation fails with "Provided EnableNodePublicIp 'False' requires workspace private endpoint."
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet",
        fix: "add a private endpoint (group amlworkspace) for the workspace in the compute's VNet and make the compute depend on it",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
              "subnets": [{"name": "training", "properties": {"addressPrefix": "10.0.0.0/24"}}]}},
            {"type": "Microsoft.MachineLearningServices/workspaces", "apiVersion": "2024-04-01", "name": "ws", "location": "westeurope",
             "properties": {"publicNetworkAccess": "Enabled"}},
            {"type": "Microsoft.MachineLearningServices/workspaces/computes", "apiVersion": "2024-04-01", "name": "ws/cluster",
             "location": "westeurope", "properties": {"computeType": "AmlCompute", "properties": {"enableNodePublicIp": false,
              "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'training')]"}}}}
            """, flagging: ["cluster"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(MachineLearningCompute.self).compactMap { compute in
            guard !compute.enableNodePublicIP, compute.subnet != nil,
                  context.privateEndpoints(targeting: compute.workspace).isEmpty else { return nil }
            return context.finding(
                Self.self, compute,
                "compute '\(compute.name)' has no public IP but workspace '\(compute.workspace.name)' has no private endpoint; creation will fail with \"Provided EnableNodePublicIp 'False' requires workspace private endpoint.\"",
                evidence: [.property(compute.id, "properties.properties.enableNodePublicIp", "false"),
                           .related(compute.workspace, "no private endpoint targets this workspace")])
        }
    }
}

// MARK: - Fix

extension ComputeWithoutWorkspaceEndpointRule {
    /// Adds a workspace private endpoint in the compute's VNet, with private DNS
    /// (https://learn.microsoft.com/azure/machine-learning/how-to-configure-private-link); its address is the fix's purpose.
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let compute = context.graph.resource(finding.subject, as: MachineLearningCompute.self), let vnet = compute.subnet?.parent,
              let subnet = context.graph.privateEndpointSubnet(in: vnet) ?? compute.subnet else { return nil }
        let opens = context.graph.resource(subnet, as: Subnet.self).map { AddressSet.subnets([$0]) } ?? .empty
        let vnets = Array(Set(context.graph.resolvingNetworks + [vnet])).sorted()
        return context.propose("add a private endpoint for workspace '\(compute.workspace.name)' in '\(subnet.name)', with private DNS", opens: opens) {
            $0.addPrivateEndpoints(to: compute.workspace, in: subnet, linkedTo: vnets)
        }
    }
}
