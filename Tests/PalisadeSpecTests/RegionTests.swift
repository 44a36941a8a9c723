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
}
