import Foundation
import PalisadeModel
import Testing

@Suite struct AddressingTests {
    @Test func parsesAndFormatsAddresses() {
        #expect(IPv4Address("10.1.2.3")?.description == "10.1.2.3")
        #expect(IPv4Address("256.1.1.1") == nil)
        #expect(IPv4Address("10.1.2") == nil)
        #expect(IPv4Address("01.1.1.1") == nil)
        #expect(IPv4Address("10.1.2.3")!.advanced(by: 4).description == "10.1.2.7")
    }

    /// The byte scanner accepts exactly the dotted quads and CIDRs the documents write, and nothing looser.
    @Test(arguments: [
        ("0.0.0.0", "0.0.0.0"), ("255.255.255.255", "255.255.255.255"), ("10.0.0.0", "10.0.0.0"), ("1.20.100.0", "1.20.100.0"),
        ("", nil), ("1..2.3", nil), ("1.2.3.", nil), (".1.2.3", nil), ("1.2.3.4.5", nil), ("1.2.3.1000", nil),
        ("1.2.3.00", nil), ("1.2.3.-1", nil), ("1.2.3.4 ", nil), ("\u{FF11}.2.3.4", nil), ("300.1.1.1", nil),
    ] as [(String, String?)])
    func scansDottedQuads(text: String, expected: String?) {
        #expect(IPv4Address(text)?.description == expected)
    }

    @Test(arguments: [
        ("10.0.0.0/8", "10.0.0.0/8"), ("0.0.0.0/0", "0.0.0.0/0"), ("10.0.0.0/08", "10.0.0.0/8"), ("1.2.3.4", "1.2.3.4/32"),
        ("10.0.0.0/", nil), ("10.0.0.0/a", nil), ("10.0.0.0/33", nil), ("10.0.0.0/123", nil), ("10.0.0.0/8/8", nil), ("/8", nil),
    ] as [(String, String?)])
    func scansPrefixes(text: String, expected: String?) {
        #expect(IPv4Prefix.parse(text)?.prefix.description == expected)
    }

    @Test func prefixesAreStrictAboutHostBits() {
        #expect(IPv4Prefix("10.1.0.0/22") != nil)
        #expect(IPv4Prefix("10.1.0.1/22") == nil)
        #expect(IPv4Prefix.parse("10.1.0.1/22")?.hostBitsZero == false)
        #expect(IPv4Prefix("10.1.0.0/33") == nil)
    }

    @Test func containmentAndOverlap() {
        let space = IPv4Prefix("10.1.0.0/22")!
        #expect(space.contains(IPv4Prefix("10.1.3.0/24")!))
        #expect(!space.contains(IPv4Prefix("10.1.4.0/24")!))
        #expect(space.overlaps(IPv4Prefix("10.0.0.0/8")!))
        #expect(!space.overlaps(IPv4Prefix("10.2.0.0/16")!))
    }

    /// Terraform `cidrsubnets("10.1.0.0/22", 6, 2, 4, 3)` as privateAML uses it (anchors-deployers.md B.2).
    @Test func terraformCidrSubnetsMatchPrivateAML() {
        let result = IPv4Prefix("10.1.0.0/22")!.consecutiveSubnets(newBits: [6, 2, 4, 3])!.map(\.description)
        #expect(result == ["10.1.0.0/28", "10.1.1.0/24", "10.1.2.0/26", "10.1.2.128/25"])
    }

    /// ARM's documented `cidrSubnet('10.144.0.0/20', 24, 4)` = `10.144.4.0/24`.
    @Test func cidrSubnetMatchesARMExample() {
        #expect(IPv4Prefix("10.144.0.0/20")!.subnet(newBits: 4, index: 4)?.description == "10.144.4.0/24")
        #expect(IPv4Prefix("10.144.0.0/20")!.subnet(newBits: 4, index: 16) == nil)
    }

    /// Azure reserves five addresses per subnet (azure-network-semantics.md SN1).
    @Test func azureReservesFiveAddresses() {
        let subnet = IPv4Prefix("10.1.1.64/26")!
        #expect(subnet.azureUsableCount == 59)
        #expect(subnet.firstAzureUsable.description == "10.1.1.68")
        #expect(IPv4Prefix("10.0.0.0/29")!.azureUsableCount == 3)
    }
}

@Suite struct ResourceIDTests {
    let subnetID = ResourceID("/subscriptions/s1/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/vnet/subnets/a")

    @Test func parsesComponents() {
        #expect(subnetID.subscriptionID == "s1")
        #expect(subnetID.resourceGroupName == "RG")
        #expect(subnetID.name == "a")
        #expect(subnetID.resourceType == .subnet)
        #expect(subnetID.parent?.name == "vnet")
        #expect(subnetID.parent?.parent == nil)
    }

    @Test func comparesCaseInsensitively() {
        let other = ResourceID(subnetID.rawValue.uppercased())
        #expect(other == subnetID)
        #expect(Set([other, subnetID]).count == 1)
    }
}

@Suite struct ResourceGraphTests {
    @Test func roundTripsThroughJSONAndFindsDanglingReferences() throws {
        var graph = ResourceGraph()
        let vnet = ResourceID("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v")
        graph.insert(VirtualNetwork(id: vnet).with { $0.addressSpace = [IPv4Prefix("10.0.0.0/16")!] })
        graph.insert(Subnet(id: vnet.child("subnets", "a")).with {
            $0.networkSecurityGroup = ResourceID("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/missing")
        })
        var opaque = OpaqueResource(id: ResourceID("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/w"),
                                    type: ResourceType("Microsoft.Web/sites"))
        opaque.properties = .object(["httpsOnly": .bool(true)])
        graph.insert(opaque)
        let data = try JSONEncoder().encode(graph)
        let decoded = try JSONDecoder().decode(ResourceGraph.self, from: data)
        #expect(decoded == graph)
        #expect(decoded.all(OpaqueResource.self).first?.type.rawValue == "Microsoft.Web/sites")
        #expect(graph.danglingReferences.map(\.to.name) == ["missing"])
        #expect(graph.subnets(of: vnet).count == 1)
    }
}

@Suite struct StableGUIDTests {
    @Test func isDeterministicWellFormedAndSeedSensitive() {
        let a = StableGUID.make("scope", "role", "principal")
        #expect(a == StableGUID.make("scope", "role", "principal"))
        #expect(a != StableGUID.make("scope", "role", "other"))
        #expect(a.range(of: "^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", options: .regularExpression) != nil)
    }
}

/// Built-in roles are looked up by the display name Terraform's `role_definition_name` uses
/// (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
@Suite struct BuiltInRoleTests {
    @Test func rolesAreFoundByDisplayNameAndHaveDistinctIDs() {
        #expect(BuiltInRoles.named("contributor")?.id == "b24988ac-6180-42a0-ab88-20f7382dd24c")
        #expect(BuiltInRoles.named("Key Vault Secrets User")?.id == "4633458b-17de-408a-b874-0445c86b69e6")
        #expect(BuiltInRoles.named("No Such Role") == nil)
        #expect(Set(BuiltInRoles.all.map(\.id)).count == BuiltInRoles.all.count)
    }
}
