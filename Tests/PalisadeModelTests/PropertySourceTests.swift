import Foundation
import Testing
@testable import PalisadeModel

/// Property locations: the most specific recorded path wins, the resource's own location is the fallback.
struct PropertySourceTests {
    private let id = ResourceID("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg")

    private func graph() -> ResourceGraph {
        var graph = ResourceGraph()
        var nsg = NetworkSecurityGroup(id: id)
        nsg.source = SourceLocation(file: "main.tf", line: 10)
        graph.insert(nsg)
        graph.recordSource(SourceLocation(file: "main.tf", line: 14), of: id, property: "properties.securityRules[0]")
        graph.recordSource(SourceLocation(file: "main.tf", line: 17), of: id,
                           property: "properties.securityRules[0].properties.sourceAddressPrefix")
        return graph
    }

    @Test func exactPathWins() {
        #expect(graph().source(of: id, property: "properties.securityRules[0].properties.sourceAddressPrefix")?.line == 17)
    }

    @Test func enclosingPathIsNext() {
        #expect(graph().source(of: id, property: "properties.securityRules[0].properties.access")?.line == 14)
    }

    @Test func resourceLocationIsTheFallback() {
        #expect(graph().source(of: id, property: "properties.securityRules[1].properties.access")?.line == 10)
        #expect(graph().source(of: id, property: nil)?.line == 10)
    }

    @Test func provenanceIsNotContentButSurvivesCoding() throws {
        var bare = graph()
        bare.propertySources = [:]
        #expect(bare == graph())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(graph())
        let decoded = try JSONDecoder().decode(ResourceGraph.self, from: data)
        #expect(decoded.source(of: id, property: "properties.securityRules[0].properties.access")?.line == 14)
        #expect(try encoder.encode(decoded) == data)
    }
}
