import PalisadeModel
import Testing

/// Source locations of a graph read from a temporary copy can be renamed to the files the user knows.
@Suite struct RelocationTests {
    @Test func everyRecordedLocationMoves() throws {
        var graph = ResourceGraph()
        var vault = KeyVault(id: ResourceID("/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"))
        vault.source = SourceLocation(file: "/tmp/copy/tree/infra/main.json", line: 3)
        graph.insert(vault)
        graph.recordSource(SourceLocation(file: "/tmp/copy/tree/infra/main.json", line: 7), of: vault.id, property: "properties.publicNetworkAccess")
        let moved = graph.relocatingSources { location in
            var copy = location
            copy.file = location.file.replacingOccurrences(of: "/tmp/copy/tree/", with: "main:")
            return copy
        }
        #expect(moved[vault.id]?.source?.file == "main:infra/main.json")
        #expect(moved.source(of: vault.id, property: "properties.publicNetworkAccess") == SourceLocation(file: "main:infra/main.json", line: 7))
        #expect(graph[vault.id]?.source?.file == "/tmp/copy/tree/infra/main.json")
    }
}
