import PalisadeModel
import PalisadeNetwork

/// Compute with public IPs takes inbound management from the internet (no-public-IP compute is recommended).
public struct ComputePublicIPRule: Rule {
    public static let description = RuleDescription(
        id: "compute_public_ip",
        title: "Compute Public IP",
        kind: .security,
        defaultSeverity: .warning,
        rationale: """
        enableNodePublicIp defaults to true: each cluster or instance then gets a public IP and load balancer, takes \
        inbound TCP 44224 from the AzureMachineLearning tag, and needs Internet routes around any firewall. \
        No-public-IP compute removes the inbound path and keeps all egress on the firewall.
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet; https://learn.microsoft.com/azure/machine-learning/how-to-prevent-data-loss-exfiltration; checkov CKV_AZURE_142/150; PSRule Azure.ML.ComputeVnet",
        fix: "set enableNodePublicIp to false (with a workspace private endpoint and the subnet's network policies disabled)",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .spec("compute: {publicIp: true, instance: {name: ci-test}}", flagging: ["cpu-cluster", "ci-test"]),
            .arm("""
            {"type": "Microsoft.MachineLearningServices/workspaces/computes", "apiVersion": "2024-04-01", "name": "ws/cluster",
             "location": "westeurope", "properties": {"computeType": "AmlCompute", "properties": {
              "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'training')]"}}}},
            {"type": "Microsoft.MachineLearningServices/workspaces", "apiVersion": "2024-04-01", "name": "ws", "location": "westeurope",
             "properties": {"publicNetworkAccess": "Disabled"}},
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
              "subnets": [{"name": "training", "properties": {"addressPrefix": "10.0.0.0/24", "privateEndpointNetworkPolicies": "Disabled",
                "privateLinkServiceNetworkPolicies": "Disabled"}},
                {"name": "endpoints", "properties": {"addressPrefix": "10.0.2.0/24"}}]}}
            """, flagging: ["cluster"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(MachineLearningCompute.self).filter { $0.enableNodePublicIP && $0.subnet != nil }.map { compute in
            context.finding(Self.self, compute,
                            "compute '\(compute.name)' has public IPs on its nodes and takes inbound management traffic from the internet",
                            evidence: [.property(compute.id, "properties.properties.enableNodePublicIp", "true (Azure's default when unset)")],
                            property: "properties.properties.enableNodePublicIp")
        }
    }
}

// MARK: - Fix

extension ComputePublicIPRule {
    /// Removes the nodes' public IPs (https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet#compute-instancecluster-with-no-public-ip).
    /// Without public IPs the compute needs a workspace private endpoint, and its documented outbound service tags
    /// (https://learn.microsoft.com/azure/machine-learning/how-to-access-azureml-behind-firewall) are the fix's purpose:
    /// rules toward them may open.
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let compute = context.graph.resource(finding.subject, as: MachineLearningCompute.self) else { return nil }
        let region = compute.location.flatMap(AzureRegion.named) ?? AzureRegion.named("westeurope")
        var opens = AddressSet.empty
        for requirement in AMLRequirements.networkRequirements(highBusinessImpact: true, privateMonitor: false) {
            guard let region else { break }
            opens = opens.union(.atom(.tag(requirement.destinationText(in: region))))
        }
        let graph = context.graph
        let needsEndpoint = graph.resource(compute.workspace, as: MachineLearningWorkspace.self) != nil && graph.privateEndpoints(targeting: compute.workspace).isEmpty
        let subnet = needsEndpoint ? graph.privateEndpointSubnet : nil
        if let subnet, let s = graph.resource(subnet, as: Subnet.self) { opens = opens.union(.subnets([s])) }
        let summary = "set enableNodePublicIp to false on '\(compute.name)'" + (subnet.map { " and add a private endpoint for workspace '\(compute.workspace.name)' in '\($0.name)'" } ?? "")
        return context.propose(summary, spec: [SpecPatch("compute.publicIp", "false")], opens: opens) { g in
            g.update(finding.subject, as: MachineLearningCompute.self) { $0.enableNodePublicIP = false }
            if let subnet { g.addPrivateEndpoints(to: compute.workspace, in: subnet, linkedTo: graph.resolvingNetworks) }
        }
    }
}
