import PalisadeModel

/// A Microsoft.Storage service endpoint without a policy reaches every storage account.
public struct StorageServiceEndpointPolicyRule: Rule {
    public static let description = RuleDescription(
        id: "storage_service_endpoint_policy",
        title: "Storage Service Endpoint Policy",
        kind: .security,
        defaultSeverity: .warning,
        rationale: """
        A Microsoft.Storage service endpoint carries the subnet's traffic to any storage account in the region over \
        the Azure backbone; only a service endpoint policy limits it to the accounts the workspace needs, so without \
        one the endpoint is an exfiltration path.
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-prevent-data-loss-exfiltration; https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoint-policies-overview",
        fix: "attach a service endpoint policy to the subnet allowing the workspace storage account and the /services/Azure/MachineLearning alias",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
              "subnets": [{"name": "scoring", "properties": {"addressPrefix": "10.0.1.0/24",
                "serviceEndpoints": [{"service": "Microsoft.Storage"}, {"service": "Microsoft.KeyVault"}]}},
                {"name": "other", "properties": {"addressPrefix": "10.0.2.0/24", "serviceEndpoints": [{"service": "Microsoft.KeyVault"}]}}]}}
            """, flagging: ["scoring"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(Subnet.self).compactMap { subnet in
            guard let endpoint = subnet.serviceEndpoints.first(where: { $0.service.lowercased().hasPrefix("microsoft.storage") }),
                  !context.hasStorageEndpointPolicy(subnet) else { return nil }
            return context.finding(
                Self.self, subnet,
                "subnet '\(subnet.name)' has a \(endpoint.service) service endpoint without a service endpoint policy; it reaches every storage account in the region",
                evidence: [.property(subnet.id, "properties.serviceEndpoints", subnet.serviceEndpoints.map(\.service).joined(separator: ", ")),
                           .property(subnet.id, "properties.serviceEndpointPolicies", "(none)")], property: "properties.serviceEndpoints")
        }
    }
}

// MARK: - Fix

extension StorageServiceEndpointPolicyRule {
    /// Adds a service endpoint policy that admits only the estate's own storage accounts (or its resource group) and
    /// attaches it to the subnet (https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoint-policies-overview).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let subnet = context.graph.resource(finding.subject, as: Subnet.self) else { return nil }
        let accounts = context.graph.all(StorageAccount.self).map(\.id.rawValue)
        let group = "/subscriptions/\(subnet.id.subscriptionID ?? "")/resourceGroups/\(subnet.id.resourceGroupName ?? "")"
        let policyID = subnet.id.sibling(namespace: "Microsoft.Network", type: "serviceEndpointPolicies", name: "sep-\(subnet.name)")
        return context.propose("attach service endpoint policy 'sep-\(subnet.name)' to '\(subnet.name)', admitting \(accounts.isEmpty ? "the resource group's storage accounts" : "the estate's storage accounts")") { graph in
            var policy = ServiceEndpointPolicy(id: policyID, location: context.graph.resource(subnet.virtualNetwork, as: VirtualNetwork.self)?.location)
            policy.definitions = [ServiceEndpointPolicyDefinition(name: "storage", serviceResources: accounts.isEmpty ? [group] : accounts)]
            graph.insert(policy)
            graph.update(subnet.id, as: Subnet.self) { $0.serviceEndpointPolicies.append(policyID) }
        }
    }
}
