/// Private DNS zones per private-link sub-resource in the Azure public cloud
/// (docs/semantics.md#private-dns-zones-per-service; https://learn.microsoft.com/azure/private-link/private-endpoint-dns).
public enum PrivateLinkCatalog {
    /// AML workspace (`amlworkspace`): api, notebooks, and the cert zone privateAML and AzureTRE add (docs/semantics.md#workspace-names).
    public static let workspaceZones = [
        "privatelink.api.azureml.ms", "privatelink.notebooks.azure.net", "privatelink.cert.api.azureml.ms",
    ]
    /// Key vault (`vault`), Z-04.
    public static let keyVaultZone = "privatelink.vaultcore.azure.net"
    /// Container registry (`registry`), Z-05.
    public static let registryZone = "privatelink.azurecr.io"
    /// Azure Monitor (`azuremonitor`), Z-06; the blob zone is shared with storage.
    public static let monitorZones = [
        "privatelink.monitor.azure.com", "privatelink.oms.opinsights.azure.com", "privatelink.ods.opinsights.azure.com",
        "privatelink.agentsvc.azure-automation.net", "privatelink.blob.core.windows.net",
    ]
    /// Azure OpenAI (`account`), Z-07.
    public static let openAIZone = "privatelink.openai.azure.com"
}
