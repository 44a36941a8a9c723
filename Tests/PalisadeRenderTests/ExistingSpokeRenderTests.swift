import Foundation
import PalisadeModel
import PalisadeRender
import PalisadeSpec
import Testing

/// A spoke built into an existing spoke VNet: the renders never create the VNet or the reused subnets; they create
/// the missing subnets and the spoke's side of the peering in the existing VNet and link the design's NSGs and route
/// table to the reused subnets.
@Suite struct ExistingSpokeRenderTests {
    static let name = "landing-zone-existing-spoke"
    static let vnetID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml-spoke-weu/providers/Microsoft.Network/virtualNetworks/vnet-ml-spoke-weu"

    static func render(_ target: RenderTarget) throws -> RenderResult {
        let result = Renderer.render(try Fixtures.example(name), target: target)
        #expect(result.unconvertible.isEmpty)
        return result
    }

    static func files(_ target: RenderTarget) throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try render(target).files.map { ($0.path, $0.contents) })
    }

    /// Every file of every target, golden.
    @Test(arguments: RenderTarget.allCases)
    func matchesGoldenFiles(_ target: RenderTarget) throws {
        for file in try Self.render(target).files {
            try assertSnapshot(file.contents, path: "\(Self.name)/\(target.rawValue)/\(file.path)")
        }
    }

    /// Terraform reads the group, the VNet's reused subnets as data sources, and links the NSGs and the route table
    /// with the association resources
    /// (https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/subnet_network_security_group_association,
    /// https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/subnet_route_table_association);
    /// what else the workspace needs of a reused subnet is an `azapi_update_resource`, which changes only the
    /// properties in its body.
    @Test func terraformBuildsIntoTheExistingVNet() throws {
        let files = try Self.files(.terraform)
        let network = try #require(files["network.tf"])
        let all = files.filter { !$0.key.hasPrefix("platform-team/") }.values.joined()
        #expect(!all.contains("resource \"azurerm_virtual_network\""))
        #expect(!all.contains("resource \"azurerm_resource_group\""))
        #expect(network.contains("data \"azurerm_resource_group\" \"main\" {\n  name = \"rg-ml-spoke-weu\"\n}"))
        for reused in ["snet_ml_training", "snet_ml_pe"] {
            #expect(network.contains("data \"azurerm_subnet\" \"\(reused)\""))
            #expect(!network.contains("resource \"azurerm_subnet\" \"\(reused)\""))
            #expect(network.contains("resource \"azurerm_subnet_network_security_group_association\" \"\(reused)\" {\n  subnet_id                 = data.azurerm_subnet.\(reused).id"))
            #expect(network.contains("resource \"azapi_update_resource\" \"\(reused)\""))
        }
        #expect(network.contains("resource \"azurerm_subnet_route_table_association\" \"snet_ml_training\" {\n  subnet_id      = data.azurerm_subnet.snet_ml_training.id"))
        // The one new subnet, in the existing VNet by name.
        #expect(network.contains("resource \"azurerm_subnet\" \"snet_jumpbox\" {"))
        #expect(network.contains("virtual_network_name                          = \"vnet-ml-spoke-weu\""))
        // The spoke's side of the peering on the existing VNet.
        #expect(network.contains("resource \"azurerm_virtual_network_peering\" \"peer_mlreuse_to_hub\" {"))
        #expect(network.contains("  virtual_network_name         = \"vnet-ml-spoke-weu\"\n"))
        // Private endpoints and compute use the reused subnets.
        #expect(try #require(files["private-endpoints.tf"]).contains("subnet_id           = data.azurerm_subnet.snet_ml_pe.id"))
        #expect(try #require(files["providers.tf"]).contains("azure/azapi"))
        #expect(try Self.render(.terraform).warnings.isEmpty)
    }

    /// ARM: no VNet resource; every subnet and the peering are child resources of the existing VNet, one after
    /// another; the reused subnets are written whole, with a warning saying so.
    @Test func armBuildsIntoTheExistingVNet() throws {
        let result = try Self.render(.arm)
        let text = try #require(result.files.first { $0.path == "azuredeploy.json" }).contents
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let resources = try #require(json["resources"] as? [[String: Any]])
        #expect(!resources.contains { $0["type"] as? String == "Microsoft.Network/virtualNetworks" })
        let children = resources.filter { ($0["type"] as? String ?? "").hasPrefix("Microsoft.Network/virtualNetworks/") }
        #expect(children.map { $0["name"] as? String ?? "" } == [
            "vnet-ml-spoke-weu/snet-jumpbox", "vnet-ml-spoke-weu/snet-ml-pe", "vnet-ml-spoke-weu/snet-ml-training",
            "vnet-ml-spoke-weu/peer-mlreuse-to-hub",
        ])
        // Each waits for the one before (one operation at a time on a VNet).
        for (index, child) in children.enumerated().dropFirst() {
            let previous = (children[index - 1]["name"] as? String ?? "").split(separator: "/").map { "'\($0)'" }.joined(separator: ", ")
            #expect((child["dependsOn"] as? [String] ?? []).contains { $0.hasSuffix("\(previous))]") }, "\(child["name"] ?? "")")
        }
        let training = try #require(children.first { $0["name"] as? String == "vnet-ml-spoke-weu/snet-ml-training" })
        let properties = try #require(training["properties"] as? [String: Any])
        #expect(properties["addressPrefix"] as? String == "10.60.8.0/24")
        #expect(properties["networkSecurityGroup"] != nil && properties["routeTable"] != nil)
        #expect(properties["privateLinkServiceNetworkPolicies"] as? String == "Disabled")
        #expect(result.warnings.count == 2 && result.warnings.allSatisfy { $0.contains("is written whole") })
        #expect(text.contains("[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-ml-spoke-weu', 'snet-ml-pe')]"))
    }

    /// Bicep declares the VNet `existing` and its children under it
    /// (https://learn.microsoft.com/azure/azure-resource-manager/bicep/existing-resource).
    @Test func bicepDeclaresTheVNetExisting() throws {
        let text = try #require(try Self.files(.bicep)["main.bicep"])
        #expect(text.contains("resource spokeVnet 'Microsoft.Network/virtualNetworks@2024-05-01' existing = {\n  name: 'vnet-ml-spoke-weu'\n}"))
        #expect(text.components(separatedBy: "  parent: spokeVnet\n").count - 1 == 4)
        #expect(text.contains("    id: snetMlPe.id"))
    }

    /// The platform team's artefact still holds the hub's side of the peering to the (existing) spoke VNet, an input
    /// (its subscription is the deploying one here, unknown to the platform team's code).
    @Test(arguments: RenderTarget.allCases)
    func platformArtefactPeersTheHubWithTheExistingSpoke(_ target: RenderTarget) throws {
        let files = try Self.files(target)
        let artefact = try #require(files.first { $0.key.hasPrefix("platform-team/") }).value
        #expect(artefact.contains("peer-hub-to-mlreuse"))
        #expect(artefact.contains("spoke VNet vnet-ml-spoke-weu (existing;"))
        #expect(artefact.contains(target == .terraform ? "spoke_virtual_network_id" : "spokeVirtualNetworkId"))
    }
}

extension ExistingSpokeRenderTests {
    /// Virtual WAN into an existing spoke VNet: no peering anywhere, the hub connection to the existing VNet in the
    /// platform team's artefact, the reused endpoint subnet read and linked, the missing subnets created in it.
    @Test func virtualWANIntoAnExistingSpoke() throws {
        let path = Fixtures.repository.appendingPathComponent("examples/landing-zone-vwan.yaml").path
        let spoke = """
          addressSpace: 10.80.8.0/22
          spoke:
            virtualNetworkId: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-wl/providers/Microsoft.Network/virtualNetworks/vnet-wl
            subnets:
              privateEndpoints: { name: snet-pe, prefix: 10.80.8.0/26 }
        """
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "  addressSpace: 10.80.8.0/22", with: spoke)
        let (design, diagnostics) = SpecLoader().design(yaml: text, file: "vwan.yaml")
        let graph = try #require(design?.graph, "\(diagnostics.errors)")
        let terraform = Renderer.render(graph, target: .terraform)
        let files = Dictionary(uniqueKeysWithValues: terraform.files.map { ($0.path, $0.contents) })
        let network = try #require(files["network.tf"])
        #expect(!network.contains("azurerm_virtual_network_peering") && !network.contains("resource \"azurerm_virtual_network\""))
        #expect(network.contains("data \"azurerm_subnet\" \"snet_pe\""))
        #expect(network.contains("resource \"azurerm_subnet\" \"snet_training\"") && network.contains("virtual_network_name                          = \"vnet-wl\""))
        let artefact = try #require(files["platform-team/spoke-onboarding.tf"])
        #expect(artefact.contains("resource \"azurerm_virtual_hub_connection\""))
        #expect(artefact.contains("spoke VNet vnet-wl (existing;"))
        let arm = try #require(Renderer.render(graph, target: .arm).files.first { $0.path == "azuredeploy.json" }).contents
        #expect(!arm.contains("virtualNetworkPeerings") && arm.contains("\"name\": \"vnet-wl/snet-pe\""))
    }
}

extension ExistingSpokeRenderTests {
    /// Terraform: compute and private endpoints in a reused subnet wait for the update that sets what they need of
    /// it (a data source reference alone would not order them after it).
    @Test func terraformConsumersWaitForTheSubnetUpdate() throws {
        let files = try Self.files(.terraform)
        let workspace = try #require(files["workspace.tf"])
        // The cluster and the instance, each after the workspace's endpoint as before.
        #expect(workspace.components(separatedBy: "[azurerm_private_endpoint.pe_mlw, azapi_update_resource.snet_ml_training]").count - 1 == 2)
        let endpoints = try #require(files["private-endpoints.tf"])
        let blocks = endpoints.components(separatedBy: "resource \"azurerm_private_endpoint\"").dropFirst()
        #expect(!blocks.isEmpty && blocks.allSatisfy { $0.contains("depends_on = [azapi_update_resource.snet_ml_pe]") })
    }
}
