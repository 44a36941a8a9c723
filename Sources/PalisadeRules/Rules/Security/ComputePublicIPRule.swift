import PalisadeModel

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
              "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'training')]"}}}}
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
