@testable import PalisadeRules
import Testing

/// Which destinations count as "any storage account" (aml-network-catalog.md §3.1).
@Suite struct ExfiltrationDestinationTests {
    @Test(arguments: ["*.blob.core.windows.net", "*core.windows.net", "*.core.windows.net", "*", "*.windows.net",
                      "*.queue.core.windows.net", "*.table.core.windows.net", "*.file.core.windows.net", "*.dfs.core.windows.net"])
    func storageWildcards(_ fqdn: String) {
        #expect(ExfiltrationDestination.isStorageWildcard(fqdn))
    }

    @Test(arguments: ["stmine.blob.core.windows.net", "*.vault.azure.net", "*.azurecr.io", "*.microsoft.com", "login.microsoftonline.com",
                      "*.instances.azureml.ms"])
    func narrowDestinations(_ fqdn: String) {
        #expect(!ExfiltrationDestination.isStorageWildcard(fqdn))
    }

    @Test func tags() {
        #expect(ExfiltrationDestination.isExfiltrationTag("Storage"))
        #expect(ExfiltrationDestination.isExfiltrationTag("Storage.WestEurope"))
        #expect(ExfiltrationDestination.isExfiltrationTag("AzureFrontDoor.FrontEnd"))
        #expect(!ExfiltrationDestination.isExfiltrationTag("AzureFrontDoor.FirstParty"))
        #expect(!ExfiltrationDestination.isExfiltrationTag("StorageSyncService"))
        #expect(!ExfiltrationDestination.isExfiltrationTag("AzureMachineLearning"))
    }
}
