import PalisadeModel
import PalisadeRender
import Testing

/// The code a fix shows: the user's own Terraform labels, removed lines before added ones.
@Suite struct ChangeSnippetsTests {
    static func graph(admin: Bool, source: String?) -> ResourceGraph {
        var graph = ResourceGraph()
        var registry = ContainerRegistry(id: ResourceID("/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/crexample"),
                                         location: "westeurope")
        registry.adminUserEnabled = admin
        registry.publicNetworkAccess = .disabled
        registry.source = source.map { SourceLocation(file: "main.tf", line: 1, column: 1, path: $0) }
        graph.insert(registry)
        return graph
    }

    @Test func terraformSnippetKeepsTheUsersLabel() throws {
        let snippet = try #require(ChangeSnippets.snippet(before: Self.graph(admin: true, source: "azurerm_container_registry.acr"),
                                                          after: Self.graph(admin: false, source: "azurerm_container_registry.acr"),
                                                          target: .terraform))
        let lines = snippet.components(separatedBy: "\n")
        #expect(lines.first == "  resource \"azurerm_container_registry\" \"acr\" {", "\(snippet)")
        let removed = try #require(lines.firstIndex { $0.hasPrefix("- ") && $0.contains("admin_enabled") && $0.hasSuffix("true") })
        let added = try #require(lines.firstIndex { $0.hasPrefix("+ ") && $0.contains("admin_enabled") && $0.hasSuffix("false") })
        #expect(removed < added, "\(snippet)")
    }

    /// Module addresses and instance keys are not labels: the renderer names those itself.
    @Test func moduleAddressesAreNotLabels() throws {
        for path in ["module.ml.azurerm_container_registry.acr", "azurerm_container_registry.acr[0]", "azurerm_storage_account.acr"] {
            let rendered = Renderer.render(Self.graph(admin: false, source: path), target: .terraform).files.map(\.contents).joined()
            #expect(rendered.contains("resource \"azurerm_container_registry\" \"main\""), "\(path)")
        }
    }
}
