import Foundation
import PalisadeARM
import PalisadeModel
import PalisadeRender
import Testing

/// Rendering an imported ARM template: values the template leaves to deployment become expressions of the deploying
/// subscription and tenant, and what has no faithful rendering is refused by name, never guessed.
@Suite struct ImportedTemplateTests {
    /// The shared ARM fixtures beside the repository (read in place, never copied).
    static let fixtures = Fixtures.repository.deletingLastPathComponent().appendingPathComponent("shared/fixtures")

    static func imported(_ folder: String, template: String = "azuredeploy.json", parameters: String = "azuredeploy.parameters.json") throws -> ResourceGraph {
        let directory = fixtures.appendingPathComponent(folder)
        var options = ImportOptions()
        options.parameterFiles = [directory.appendingPathComponent(parameters).path]
        let (graph, diagnostics) = ARMImporter.importFile(directory.appendingPathComponent(template).path, options: options)
        let errors = diagnostics.items.filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.prefix(3))")
        return graph
    }

    static func text(_ result: RenderResult) -> String { result.files.map(\.contents).joined(separator: "\n") }

    /// The graph without its DNAT rules (whose addresses the template computes at deployment; see below).
    static func withoutNatRules(_ graph: ResourceGraph) -> ResourceGraph {
        var copy = graph
        for policy in graph.all(FirewallPolicy.self) {
            copy.update(policy.id, as: FirewallPolicy.self) { policy in
                for group in policy.ruleCollectionGroups.indices {
                    policy.ruleCollectionGroups[group].ruleCollections.removeAll { collection in
                        collection.rules.contains { if case .nat = $0 { return true } else { return false } }
                    }
                }
            }
        }
        return copy
    }

    /// The DNAT rules of this template point at the firewall's public IP and a VM's NIC through `reference()`: the
    /// addresses exist only at deployment, so rendering refuses and names each rule.
    @Test func natRuleWithDeploymentTimeAddressesIsRefusedByName() throws {
        let graph = try Self.imported("arm-extra/azure-firewall-dns-proxy")
        let result = Renderer.render(graph, target: .terraform)
        #expect(result.files.isEmpty)
        #expect(!result.unconvertible.isEmpty)
        #expect(result.unconvertible.allSatisfy { $0.hasPrefix("DNAT rule '") && $0.contains("has no destination address and translated address") })
        #expect(Renderer.render(Self.withoutNatRules(graph), target: .terraform).unconvertible.isEmpty)
    }

    /// `computeType: AKS` attaches an existing cluster (`resourceId`); rendering it as an AmlCompute cluster would
    /// deploy something else, so every target refuses and names the compute.
    /// https://learn.microsoft.com/azure/templates/microsoft.machinelearningservices/workspaces/computes
    @Test(arguments: RenderTarget.allCases)
    func attachedKubernetesComputeIsRefusedByName(_ target: RenderTarget) throws {
        let graph = try Self.imported("arm/aml-end-to-end-secure")
        let aks = try #require(graph.all(MachineLearningCompute.self).first { $0.computeType == "AKS" })
        let result = Renderer.render(graph, target: target)
        #expect(result.files.isEmpty, "nothing is written when something cannot be converted")
        #expect(result.unconvertible.count == 1)
        let message = try #require(result.unconvertible.first)
        #expect(message.contains("compute '\(aks.name)'"))
        #expect(message.contains("attached AKS compute"))
        #expect(!message.contains("00000000-"))
    }

    /// A compute cluster and a compute instance still render.
    @Test func amlComputeAndComputeInstancesAreNotRefused() throws {
        var graph = try Self.imported("arm/aml-end-to-end-secure")
        for compute in graph.all(MachineLearningCompute.self) where compute.computeType == "AKS" { graph.remove(compute.id) }
        let result = Renderer.render(graph, target: .terraform)
        #expect(result.unconvertible.isEmpty)
        #expect(Self.text(result).contains("resource \"azurerm_machine_learning_compute_cluster\""))
    }

    /// `subscription().tenantId` and `subscription().subscriptionId` evaluate to all-zero stand-ins on import; the
    /// rendered code uses the deploying tenant and subscription instead of emitting the stand-ins.
    /// https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-scope#subscription
    @Test(arguments: ["arm-extra/key-vault-private-endpoint", "arm-extra/aml-workspace-vnet", "arm/aml-network-restricted",
                      "arm-extra/azure-firewall-dns-proxy"])
    func standInTenantAndSubscriptionBecomeTheDeployingOnes(_ folder: String) throws {
        let graph = Self.withoutNatRules(try Self.imported(folder))
        for target in RenderTarget.allCases {
            let text = Self.text(Renderer.render(graph, target: target))
            #expect(!text.isEmpty)
            #expect(!text.contains("00000000-0000-0000-0000-000000000001"), "\(folder) \(target): stand-in tenant")
            #expect(!text.contains("00000000-0000-0000-0000-000000000000"), "\(folder) \(target): stand-in subscription")
            #expect(!text.contains("roleDefinitions//"), "\(folder) \(target): role definition ID written twice")
        }
    }

    @Test func keyVaultTenantIsTheDeployingTenant() throws {
        let graph = try Self.imported("arm-extra/key-vault-private-endpoint")
        #expect(!graph.all(KeyVault.self).isEmpty)
        let terraform = Self.text(Renderer.render(graph, target: .terraform))
        #expect(terraform.contains("tenant_id                     = data.azurerm_client_config.current.tenant_id"))
        let arm = Self.text(Renderer.render(graph, target: .arm))
        #expect(arm.contains("\"tenantId\": \"[subscription().tenantId]\""))
        let bicep = Self.text(Renderer.render(graph, target: .bicep))
        #expect(bicep.contains("tenantId: subscription().tenantId"))
    }

    /// A resource group in the template's own deployment becomes the group the code creates (Terraform) or deploys
    /// into (ARM/Bicep); a literal tenant the template states is kept.
    @Test func ownResourceGroupScopeAndStatedTenantAreFaithful() throws {
        let graph = Self.withoutNatRules(try Self.imported("arm-extra/azure-firewall-dns-proxy"))
        let terraform = Self.text(Renderer.render(graph, target: .terraform))
        #expect(terraform.contains("scope              = azurerm_resource_group.main.id"))
        var vault = KeyVault(id: ResourceID("/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-x/providers/Microsoft.KeyVault/vaults/kv-x"))
        vault.tenantID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
        let stated = Self.text(Renderer.render(ResourceGraph([.keyVault(vault)]), target: .terraform))
        #expect(stated.contains("tenant_id                     = \"72f988bf-86f1-41af-91ab-2d7cd011db47\""))
    }
}
