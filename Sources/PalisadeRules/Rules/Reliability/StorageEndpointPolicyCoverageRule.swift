import PalisadeModel
import PalisadeNetwork

/// A compute subnet's storage service endpoint policy must allow the workspace's storage account (docs/semantics.md#service-endpoint-policies).
public struct StorageEndpointPolicyCoverageRule: Rule {
    public static let description = RuleDescription(
        id: "storage_endpoint_policy_coverage",
        title: "Storage Endpoint Policy Coverage",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        Once a service endpoint policy is attached, storage traffic over the subnet's Microsoft.Storage service \
        endpoint reaches only the accounts the policy lists. If the workspace's default storage account is neither \
        listed (by ID, resource group or subscription) nor reachable through a private endpoint in the compute's \
        VNet, jobs cannot mount or read it ("StorageMountError", "AZFMountError").
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-prevent-data-loss-exfiltration; https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoint-policies-overview; https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet",
        fix: "add the workspace's storage account to the service endpoint policy, or give it a private endpoint in the compute's VNet",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "stworkspace", "location": "westeurope",
             "kind": "StorageV2", "sku": {"name": "Standard_ZRS"}, "properties": {}},
            {"type": "Microsoft.MachineLearningServices/workspaces", "apiVersion": "2024-04-01", "name": "ws", "location": "westeurope",
             "properties": {"storageAccount": "[resourceId('Microsoft.Storage/storageAccounts', 'stworkspace')]"}},
            {"type": "Microsoft.Network/serviceEndpointPolicies", "apiVersion": "2023-09-01", "name": "sep", "location": "westeurope",
             "properties": {"serviceEndpointPolicyDefinitions": [{"name": "other", "properties": {"service": "Microsoft.Storage",
               "serviceResources": ["[resourceId('Microsoft.Storage/storageAccounts', 'stother')]"]}}]}},
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
              "subnets": [{"name": "training", "properties": {"addressPrefix": "10.0.0.0/24",
                "serviceEndpoints": [{"service": "Microsoft.Storage"}],
                "serviceEndpointPolicies": [{"id": "[resourceId('Microsoft.Network/serviceEndpointPolicies', 'sep')]"}]}}]}},
            {"type": "Microsoft.MachineLearningServices/workspaces/computes", "apiVersion": "2024-04-01", "name": "ws/cluster",
             "location": "westeurope", "dependsOn": ["[resourceId('Microsoft.MachineLearningServices/workspaces', 'ws')]"],
             "properties": {"computeType": "AmlCompute", "properties": {"enableNodePublicIp": true,
              "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'training')]"}}}}
            """, flagging: ["training"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.computeSubnets.compactMap { subnet in
            let policies = subnet.serviceEndpointPolicies.compactMap { context.graph.resource($0, as: ServiceEndpointPolicy.self) }
            let allowed = policies.flatMap(\.definitions).filter { $0.service.lowercased().hasPrefix("microsoft.storage") }.flatMap(\.serviceResources)
            guard !allowed.isEmpty, subnet.serviceEndpoints.contains(where: { $0.service.lowercased().hasPrefix("microsoft.storage") }) else { return nil }
            let storages = Set(context.computes(in: subnet.id).compactMap {
                context.graph.resource($0.workspace, as: MachineLearningWorkspace.self)?.storageAccount
            })
            let blocked = storages.sorted().filter { storage in
                let listed = allowed.contains { storage.rawValue.lowercased().hasPrefix($0.lowercased()) }
                return !listed && !context.endpointNetworks(of: storage).contains(subnet.virtualNetwork)
            }
            guard !blocked.isEmpty else { return nil }
            return context.finding(
                Self.self, subnet,
                "subnet '\(subnet.name)' limits storage through service endpoint policy \(policies.map { "'\($0.name)'" }.joined(separator: ", ")), which does not allow workspace storage \(blocked.map { "'\($0.name)'" }.joined(separator: ", ")), and the VNet has no private endpoint to it; compute cannot reach it",
                evidence: policies.map { .property($0.id, "properties.serviceEndpointPolicyDefinitions[].serviceResources", allowed.joined(separator: ", ")) }
                    + blocked.map { .related($0, "workspace default storage") })
        }
    }
}

// MARK: - Fix

extension StorageEndpointPolicyCoverageRule {
    /// Adds the workspace storage accounts to the subnet's service endpoint policy
    /// (https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoint-policies-overview).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let subnet = context.graph.resource(finding.subject, as: Subnet.self) else { return nil }
        let blocked = finding.evidence.filter { $0.kind == .related }.compactMap(\.resource).filter { $0.resourceType == StorageAccount.resourceType }
        guard let policyID = subnet.serviceEndpointPolicies.first(where: { id in
            context.graph.resource(id, as: ServiceEndpointPolicy.self)?.definitions.contains { $0.service.lowercased().hasPrefix("microsoft.storage") } ?? false
        }), !blocked.isEmpty else { return nil }
        return context.propose("allow \(blocked.map { "'\($0.name)'" }.joined(separator: ", ")) in service endpoint policy '\(policyID.name)'",
                               opens: .atom(.tag("Storage"))) { graph in
            graph.update(policyID, as: ServiceEndpointPolicy.self) { policy in
                guard let index = policy.definitions.firstIndex(where: { $0.service.lowercased().hasPrefix("microsoft.storage") }) else { return }
                policy.definitions[index].serviceResources += blocked.map(\.rawValue)
            }
        }
    }
}
