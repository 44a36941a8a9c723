import Foundation
import PalisadeModel
import PalisadeSpec
import Testing

/// A landing-zone spoke built into an existing spoke VNet: the VNet and the reused subnets are existing, the design
/// creates only the subnets it still needs, in free space, and links its NSGs and route table to the reused ones.
@Suite struct ExistingSpokeTests {
    static let workload = "/subscriptions/5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9/resourceGroups/rg-ml-spoke/providers/Microsoft.Network"
    static let vnetID = "\(workload)/virtualNetworks/vnet-ml-spoke"

    /// The hub landing zone of `LandingZoneTests` with an existing spoke VNet of 10.60.4.0/22.
    static func yaml(spoke: String = defaultSpoke, extra: String = "", replacing: [(String, String)] = []) -> String {
        var text = LandingZoneTests.yaml(extra: extra).replacingOccurrences(of: "  dns:\n", with: spoke + "  dns:\n")
        for (from, to) in replacing { text = text.replacingOccurrences(of: from, with: to) }
        return text
    }

    static let defaultSpoke = """
      spoke:
        virtualNetworkId: \(vnetID)
        addressSpace: [10.60.4.0/22]
        occupied: [10.60.6.0/24]
        subnets:
          compute: { name: snet-training, prefix: 10.60.4.0/24 }
          privateEndpoints: { name: snet-pe, prefix: 10.60.5.0/26 }

    """

    func design(_ text: String) throws -> Design {
        let (design, diagnostics) = SpecLoader().design(yaml: text, file: "spoke.yaml")
        return try #require(design, "\(diagnostics.errors)")
    }

    func errors(_ text: String) -> [Diagnostic] {
        let (design, diagnostics) = SpecLoader().design(yaml: text, file: "spoke.yaml")
        #expect(design == nil)
        return diagnostics.errors
    }

    @Test func existingVNetIsReferencedNotCreated() throws {
        let design = try design(Self.yaml())
        let graph = design.graph
        let vnet = try #require(graph.resource(ResourceID(Self.vnetID), as: VirtualNetwork.self))
        #expect(graph.isExisting(vnet.id))
        #expect(vnet.addressSpace.map(\.description) == ["10.60.4.0/22"])
        // The spoke's side of the peering to the hub stays on the existing VNet (renderers write it as a child).
        #expect(vnet.peerings.map(\.remoteVirtualNetwork.name) == ["vnet-hub"])
        // No VNet of the design's own naming.
        #expect(graph.all(VirtualNetwork.self).allSatisfy { graph.isExisting($0.id) })
        // The resource group and subscription are the VNet's, and the group exists.
        #expect(design.spec.resourceGroup == "rg-ml-spoke")
        #expect(design.spec.subscriptionID == "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9")
        let group = try #require(graph.all(ResourceGroup.self).first)
        #expect(graph.isExisting(group.id))
        // The workspace and its services are deployed into that group.
        let workspace = try #require(graph.all(MachineLearningWorkspace.self).first)
        #expect(!graph.isExisting(workspace.id) && workspace.id.resourceGroupName == "rg-ml-spoke")
    }

    @Test func reusedSubnetsAreExistingAndLinked() throws {
        let graph = try design(Self.yaml()).graph
        let training = try #require(graph.resource(ResourceID(Self.vnetID + "/subnets/snet-training"), as: Subnet.self))
        let endpoints = try #require(graph.resource(ResourceID(Self.vnetID + "/subnets/snet-pe"), as: Subnet.self))
        #expect(graph.isExisting(training.id) && graph.isExisting(endpoints.id))
        #expect(training.addressPrefixes.map(\.description) == ["10.60.4.0/24"])
        // The design's NSGs (deployed) and the route table to the central firewall on the routed subnet.
        for subnet in [training, endpoints] {
            let nsg = try #require(subnet.networkSecurityGroup)
            #expect(graph[nsg] != nil && !graph.isExisting(nsg))
        }
        let table = try #require(training.routeTable)
        #expect(!graph.isExisting(table))
        #expect(endpoints.routeTable == nil)
        // What no-public-IP compute needs of its subnet (network policies off, storage over the policy-held endpoint),
        // and NSGs applied to private endpoints; the reused subnet's default outbound access is left as it is.
        #expect(training.privateEndpointNetworkPolicies == .disabled && training.privateLinkServiceNetworkPolicies == .disabled)
        #expect(training.serviceEndpoints.map(\.service) == ["Microsoft.Storage"] && training.serviceEndpointPolicies.count == 1)
        #expect(training.defaultOutboundAccess == nil)
        #expect(endpoints.privateEndpointNetworkPolicies == .networkSecurityGroupEnabled)
        // Compute joins the reused subnet, the private endpoints sit in the other one.
        #expect(graph.all(MachineLearningCompute.self).contains { $0.subnet == training.id })
        #expect(!graph.all(PrivateEndpoint.self).isEmpty && graph.all(PrivateEndpoint.self).allSatisfy { $0.subnet == endpoints.id })
    }

    @Test func onlyMissingSubnetsAreCreatedInFreeSpace() throws {
        let design = try design(Self.yaml())
        let graph = design.graph
        let created = graph.all(Subnet.self).filter { !graph.isExisting($0.id) }
        // The jumpbox's subnet is the only one the design still needs; it is a child of the existing VNet, clear of
        // the reused subnets and of the occupied 10.60.6.0/24.
        #expect(created.map(\.name) == ["snet-jumpbox"])
        let jumpbox = try #require(created.first)
        #expect(jumpbox.virtualNetwork == ResourceID(Self.vnetID))
        let prefix = try #require(jumpbox.addressPrefixes.first)
        #expect(prefix.description == "10.60.5.64/28")
        let taken = ["10.60.4.0/24", "10.60.5.0/26", "10.60.6.0/24"].compactMap(IPv4Prefix.init)
        #expect(taken.count == 3 && taken.allSatisfy { !$0.overlaps(prefix) })
        #expect(design.addressPlan.subnets.map(\.name).sorted() == ["snet-jumpbox", "snet-pe", "snet-training"])
    }

    @Test func occupiedSpaceIsAvoided() throws {
        // With the first /24 taken by another subnet, the new compute subnet goes to the next free block.
        let spoke = """
          spoke:
            virtualNetworkId: \(Self.vnetID)
            occupied: [10.60.4.0/24]

        """
        let graph = try design(Self.yaml(spoke: spoke)).graph
        let prefixes = graph.all(Subnet.self).filter { !graph.isExisting($0.id) }.compactMap(\.addressPrefixes.first)
        #expect(prefixes.count == 3)
        #expect(prefixes.allSatisfy { !$0.overlaps(IPv4Prefix("10.60.4.0/24")!) })
    }

    /// Bad reuse is an error at its key path, and no design.
    @Test(arguments: [
        // Outside the VNet's address space.
        ("prefix: 10.60.4.0/24", "prefix: 10.61.4.0/24", "landingZone.spoke.subnets.compute.prefix"),
        // Two reused subnets overlap.
        ("prefix: 10.60.5.0/26", "prefix: 10.60.4.128/26", "landingZone.spoke.subnets.privateEndpoints.prefix"),
        // Too small for the cluster's four nodes and the instance.
        ("prefix: 10.60.4.0/24", "prefix: 10.60.4.0/29", "landingZone.spoke.subnets.compute.prefix"),
        // Overlapping a subnet the VNet already uses for something else.
        ("occupied: [10.60.6.0/24]", "occupied: [10.60.5.0/24]", "landingZone.spoke.subnets.privateEndpoints.prefix"),
        // In another resource group than the spec deploys into.
        ("name: lz\n", "name: lz\nresourceGroup: rg-other\n", "landingZone.spoke.virtualNetworkId"),
        // Not a VNet ID.
        ("virtualNetworks/vnet-ml-spoke", "virtualNetwork/vnet-ml-spoke", "landingZone.spoke.virtualNetworkId"),
        // The allotted space is not part of the VNet.
        ("addressSpace: [10.60.4.0/22]", "addressSpace: [10.60.8.0/22]", "landingZone.addressSpace"),
        // The VNet's space overlaps the hub.
        ("addressSpace: [10.60.4.0/22]", "addressSpace: [10.60.4.0/22, 10.60.0.0/24]", "landingZone.spoke.addressSpace[1]"),
        // Two roles in one subnet.
        ("name: snet-pe", "name: snet-training", "landingZone.spoke.subnets.privateEndpoints.name"),
        // A subnet reserved for an Azure service.
        ("name: snet-pe", "name: AzureFirewallSubnet", "landingZone.spoke.subnets.privateEndpoints.name"),
    ])
    func badReuseIsLocated(_ change: (String, String, String)) {
        let paths = errors(Self.yaml(replacing: [(change.0, change.1)])).compactMap { $0.location?.path }
        #expect(paths.contains(change.2), "\(paths)")
    }

    /// More occupied prefixes than a VNet can have subnets (3,000) is an error, not a long search.
    @Test func tooManyOccupiedPrefixesAreRejected() {
        let many = (0..<3001).map { "10.60.6.\($0 % 32 * 8)/29" }.joined(separator: ", ")
        let paths = errors(Self.yaml(replacing: [("occupied: [10.60.6.0/24]", "occupied: [\(many)]")])).compactMap { $0.location?.path }
        #expect(paths.contains("landingZone.spoke.occupied"), "\(paths)")
    }

    @Test func capacityErrorSaysHowToFixReuse() throws {
        let error = try #require(errors(Self.yaml(replacing: [("prefix: 10.60.4.0/24", "prefix: 10.60.4.0/29")]))
            .first { $0.location?.path == "landingZone.spoke.subnets.compute.prefix" })
        #expect(error.message.contains("snet-training") && error.message.contains("usable"))
        #expect(error.fix?.contains("reuse a larger subnet") == true)
    }

    @Test func unknownRoleIsRejectedWithTheValidOnes() throws {
        let error = try #require(errors(Self.yaml(replacing: [("compute: { name", "training: { name")])).first)
        #expect(error.code == "spec.unknown-key")
        #expect(error.location?.path == "landingZone.spoke.subnets.training")
        #expect(error.fix?.contains("compute") == true)
    }

    @Test(arguments: [
        ("network:\n  subnets:\n    - name: snet-a\n      uses: [compute]", "network.subnets"),
        ("access:\n  jumpbox:\n    enabled: false", "landingZone.spoke.subnets.jumpbox"),
    ])
    func reuseConflictsAreLocated(_ extra: (String, String)) {
        var spoke = Self.defaultSpoke
        if extra.1.hasSuffix("jumpbox") { spoke += "      jumpbox: { name: snet-jump, prefix: 10.60.7.0/28 }\n" }
        let paths = errors(Self.yaml(spoke: spoke, extra: extra.0)).compactMap { $0.location?.path }
        #expect(paths.contains(extra.1), "\(paths)")
    }
}

extension ExistingSpokeTests {
    /// A finding on the existing VNet or a reused subnet points at the line that names it.
    @Test func reusedPiecesPointAtTheirSpecLines() throws {
        let text = Self.yaml()
        let graph = try design(text).graph
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        func line(of needle: String) -> Int? { lines.firstIndex { $0.contains(needle) }.map { $0 + 1 } }
        let vnet = try #require(graph[ResourceID(Self.vnetID)])
        #expect(vnet.source?.line == line(of: "virtualNetworkId: \(Self.vnetID)"))
        let training = try #require(graph[ResourceID(Self.vnetID + "/subnets/snet-training")])
        #expect(training.source?.line == line(of: "compute: { name: snet-training"))
        #expect(training.source?.line != nil)
    }
}

extension ExistingSpokeTests {
    /// A VNet with two prefixes: a reused subnet may sit in the one new subnets are not planned in.
    @Test func reusedSubnetMayLieOutsideTheAllottedPart() throws {
        let spoke = """
          spoke:
            virtualNetworkId: \(Self.vnetID)
            addressSpace: [10.60.4.0/22, 10.70.0.0/24]
            subnets:
              compute: { name: snet-training, prefix: 10.70.0.0/24 }

        """
        let graph = try design(Self.yaml(spoke: spoke)).graph
        let training = try #require(graph.resource(ResourceID(Self.vnetID + "/subnets/snet-training"), as: Subnet.self))
        #expect(graph.isExisting(training.id) && training.addressPrefixes.map(\.description) == ["10.70.0.0/24"])
        let vnet = try #require(graph.resource(ResourceID(Self.vnetID), as: VirtualNetwork.self))
        #expect(vnet.addressSpace.map(\.description) == ["10.60.4.0/22", "10.70.0.0/24"])
        let created = graph.all(Subnet.self).filter { !graph.isExisting($0.id) }.compactMap(\.addressPrefixes.first)
        #expect(created.count == 2 && created.allSatisfy { IPv4Prefix("10.60.4.0/22")!.contains($0) })
    }
}
