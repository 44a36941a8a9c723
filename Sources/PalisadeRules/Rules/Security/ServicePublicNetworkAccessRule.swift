import PalisadeModel

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
             "kind": "web", "properties": {"Application_Type": "web", "publicNetworkAccessForIngestion": "Disabled"}}
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
