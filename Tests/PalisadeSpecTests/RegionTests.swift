import Foundation
import PalisadeModel
import Testing

/// The region table is the set of regional `Storage.<Region>` tags in Microsoft's service-tag data.
@Suite struct RegionTests {
    @Test func everyRegionHasRegionalServiceTags() throws {
        let data = try Data(contentsOf: Paths.serviceTags)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let names = Set((json["values"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
        for region in AzureRegion.all {
            #expect(names.contains(region.tag("Storage")), "\(region.name)")
        }
        #expect(AzureRegion.named("West Europe")?.tagSuffix == "WestEurope")
        #expect(AzureRegion.named("mars") == nil)
    }

    /// Availability zones per region, as Microsoft's regions list shows them (ms.date 2025-09-23,
    /// https://learn.microsoft.com/azure/reliability/regions-list): every region of the catalog is checked.
    @Test(arguments: AzureRegion.all.map(\.name)) func availabilityZonesFollowMicrosoftsList(_ name: String) throws {
        let region = try #require(AzureRegion.named(name))
        let documentedWithZones: Set<String> = [
            "australiaeast", "austriaeast", "belgiumcentral", "brazilsouth", "canadacentral", "centralindia", "centralus",
            "chilecentral", "eastasia", "eastus", "eastus2", "francecentral", "germanywestcentral", "indonesiacentral",
            "israelcentral", "italynorth", "japaneast", "japanwest", "koreacentral", "malaysiawest", "mexicocentral",
            "newzealandnorth", "northeurope", "norwayeast", "polandcentral", "qatarcentral", "southafricanorth",
            "southcentralus", "southeastasia", "spaincentral", "swedencentral", "switzerlandnorth", "uaenorth", "uksouth",
            "westeurope", "westus2", "westus3",
        ]
        let documentedWithout: Set<String> = [
            "australiacentral", "australiacentral2", "australiasoutheast", "brazilsoutheast", "canadaeast", "francesouth",
            "germanynorth", "koreasouth", "northcentralus", "norwaywest", "southafricawest", "southindia", "switzerlandwest",
            "uaecentral", "ukwest", "westcentralus", "westindia", "westus",
        ]
        if documentedWithZones.contains(name) {
            #expect(region.hasAvailabilityZones)
        } else if documentedWithout.contains(name) {
            #expect(!region.hasAvailabilityZones)
        } else {
            // Not on the public list (restricted or not yet open): treated as zoneless.
            #expect(!region.hasAvailabilityZones)
        }
    }

    @Test func zonalSkus() {
        #expect(AzureRegion.storageSkuNeedsZones("Standard_ZRS") && AzureRegion.storageSkuNeedsZones("Standard_RAGZRS"))
        #expect(!AzureRegion.storageSkuNeedsZones("Standard_LRS") && !AzureRegion.storageSkuNeedsZones("Standard_GRS"))
        #expect(AzureRegion.gatewaySkuNeedsZones("VpnGw1AZ") && !AzureRegion.gatewaySkuNeedsZones("VpnGw1"))
    }
}
