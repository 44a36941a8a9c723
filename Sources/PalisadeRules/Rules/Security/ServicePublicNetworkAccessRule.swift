import PalisadeModel
import PalisadeNetwork

/// Every PaaS dependency of an isolated workspace keeps its public endpoint closed.
public struct ServicePublicNetworkAccessRule: Rule {
    public static let description = RuleDescription(
        id: "service_public_network_access",
        title: "Service Public Network Access",
        kind: .security,
        defaultSeverity: .warning,
        rationale: """
        A workspace, storage account, key vault, registry, Application Insights component, Log Analytics workspace or \
        AI services account whose public network access is not disabled can be reached (and written to) from the \
        internet with stolen credentials, around the VNet, firewall and private endpoints. Azure's default when the \
        property is absent is Enabled; firewall IP rules narrow it but keep the endpoint public.
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-configure-private-link; https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet; https://learn.microsoft.com/azure/storage/common/storage-network-security; https://learn.microsoft.com/azure/key-vault/general/network-security; https://learn.microsoft.com/azure/machine-learning/how-to-managed-network",
        fix: "set publicNetworkAccess to Disabled (for Azure Monitor: ingestion and query) and reach the service through a private endpoint",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .spec("workspace: {publicNetworkAccess: true}", flagging: ["mlw-test"]),
            .arm("""
            {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "stexample", "location": "westeurope",
             "kind": "StorageV2", "sku": {"name": "Standard_LRS"}, "properties": {"networkAcls": {"defaultAction": "Deny", "bypass": "AzureServices"}}},
            {"type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "kv-example", "location": "westeurope",
             "properties": {"tenantId": "00000000-0000-0000-0000-000000000000", "sku": {"family": "A", "name": "standard"},
              "publicNetworkAccess": "Disabled"}},
            {"type": "Microsoft.Insights/components", "apiVersion": "2020-02-02", "name": "appi", "location": "westeurope",
             "kind": "web", "properties": {"Application_Type": "web", "publicNetworkAccessForIngestion": "Disabled"}},
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
              "subnets": [{"name": "endpoints", "properties": {"addressPrefix": "10.0.2.0/24"}}]}}
            """, flagging: ["stexample", "appi"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.exposedServices.filter { !$0.publicAccessDisabled }.map { service in
            let exposure = service.restriction.map { " (\($0)); its public endpoint stays open" } ?? "; it is reachable from the internet"
            return context.finding(
                Self.self, service.resource,
                "\(service.kind) '\(service.resource.name)' has public network access \(service.value)\(exposure)",
                evidence: [.property(service.resource.id, service.property, service.value)], property: service.property)
        }
    }
}

// MARK: - Fix

extension ServicePublicNetworkAccessRule {
    /// Closes the public endpoint: `publicNetworkAccess: Disabled`, or for Azure Monitor both ingestion and query
    /// (https://learn.microsoft.com/azure/machine-learning/how-to-configure-private-link#disable-public-access,
    /// https://learn.microsoft.com/azure/storage/common/storage-network-security,
    /// https://learn.microsoft.com/azure/azure-monitor/logs/private-link-design).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        let id = finding.subject
        let graph = context.graph
        let summary: String
        var spec: [SpecPatch] = []
        if graph.resource(id, as: MachineLearningWorkspace.self) != nil {
            summary = "set publicNetworkAccess to Disabled on workspace '\(id.name)'"
            spec = [SpecPatch("workspace.publicNetworkAccess", "false")]
        } else if graph.resource(id, as: ApplicationInsights.self) != nil || graph.resource(id, as: LogAnalyticsWorkspace.self) != nil {
            summary = "set publicNetworkAccessForIngestion and publicNetworkAccessForQuery to Disabled on '\(id.name)'"
        } else {
            summary = "set publicNetworkAccess to Disabled on '\(id.name)'"
        }
        // Closing the public endpoint needs a private path, or nothing can reach the service.
        let needsPath = context.privatePaths(to: id).isEmpty && spec.isEmpty
        var opens = AddressSet.empty
        var withPath = summary
        if needsPath, let subnet = graph.privateEndpointSubnet {
            opens = graph.resource(subnet, as: Subnet.self).map { AddressSet.subnets([$0]) } ?? .empty
            withPath += " and reach it through a private endpoint in '\(subnet.name)'"
        }
        return context.propose(withPath, spec: spec, opens: opens) { graph in
            if needsPath { _ = graph.addPrivatePath(to: id) }
            graph.update(id, as: MachineLearningWorkspace.self) { $0.publicNetworkAccess = .disabled }
            graph.update(id, as: StorageAccount.self) { $0.publicNetworkAccess = .disabled }
            graph.update(id, as: KeyVault.self) { $0.publicNetworkAccess = .disabled }
            graph.update(id, as: ContainerRegistry.self) { $0.publicNetworkAccess = .disabled }
            graph.update(id, as: CognitiveServicesAccount.self) { $0.publicNetworkAccess = .disabled }
            graph.update(id, as: ApplicationInsights.self) {
                $0.publicNetworkAccessForIngestion = .disabled
                $0.publicNetworkAccessForQuery = .disabled
            }
            graph.update(id, as: LogAnalyticsWorkspace.self) {
                $0.publicNetworkAccessForIngestion = .disabled
                $0.publicNetworkAccessForQuery = .disabled
            }
        }
    }
}
