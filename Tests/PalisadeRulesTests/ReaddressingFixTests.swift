import Foundation
import PalisadeDiff
import PalisadeModel
import PalisadeRules
import Testing

/// The re-addressing fixes choose concrete, free ranges and carry every written address along.
@Suite struct ReaddressingFixTests {
    static func id(_ type: String, _ name: String, subscription: String = "00000000-0000-0000-0000-000000000000") -> ResourceID {
        ResourceID("/subscriptions/\(subscription)/resourceGroups/rg/providers/Microsoft.Network/\(type)/\(name)")
    }

    static func p(_ text: String) -> IPv4Prefix { IPv4Prefix(text)! }

    static func vnet(_ name: String, _ space: [String], subnets: [(String, String)] = [], location: String = "westeurope", in graph: inout ResourceGraph) -> ResourceID {
        var vnet = VirtualNetwork(id: id("virtualNetworks", name), location: location)
        vnet.addressSpace = space.map(p)
        graph.insert(vnet)
        for (subnetName, prefix) in subnets {
            var subnet = Subnet(id: vnet.id.child("subnets", subnetName))
            subnet.addressPrefixes = [p(prefix)]
            graph.insert(subnet)
        }
        return vnet.id
    }

    static func proposal(_ rule: any Rule.Type, _ graph: ResourceGraph, subject: String) throws -> FixProposal? {
        let context = RuleContext(graph: graph)
        let finding = try #require(rule.init().check(context).first { $0.subject.name == subject })
        return rule.init().proposeFix(for: finding, in: context)
    }

    /// A VNet on the Docker bridge moves at its own size to the lowest /12 of private space that overlaps no other
    /// VNet and no on-premises range; its subnet, a NIC's static address and a route's next hop move with it.
    @Test func dockerBridgeReaddressingAvoidsEverythingInUse() throws {
        var graph = ResourceGraph()
        let moving = Self.vnet("vnet-ml", ["172.16.0.0/12"], subnets: [("training", "172.16.5.0/24")], in: &graph)
        _ = Self.vnet("vnet-hub", ["10.0.0.0/16"], in: &graph)
        var onPremises = LocalNetworkGateway(id: Self.id("localNetworkGateways", "office"), location: "westeurope")
        onPremises.addressPrefixes = [Self.p("10.17.0.0/16")]
        graph.insert(onPremises)
        var nic = NetworkInterface(id: Self.id("networkInterfaces", "nic"), location: "westeurope")
        nic.ipConfigurations = [IPConfiguration(name: "ip", subnet: moving.child("subnets", "training"), privateIPAddress: IPv4Address("172.16.5.10")!)]
        graph.insert(nic)
        var table = RouteTable(id: Self.id("routeTables", "rt"), location: "westeurope")
        table.routes = [Route(name: "to-nva", destination: .prefix(Self.p("0.0.0.0/0")), nextHopType: .virtualAppliance, nextHopIPAddress: IPv4Address("172.16.5.10")!)]
        graph.insert(table)
        var firewall = AzureFirewall(id: Self.id("azureFirewalls", "fw"), location: "westeurope")
        firewall.networkRuleCollections = [FirewallRuleCollection(name: "ml", priority: 100, action: .allow, rules: [
            .network(NetworkRule(name: "ml-out", protocols: [.tcp], sourceAddresses: ["172.16.5.0/24", "172.16.9.1", "10.0.0.0/16"],
                                 destinationAddresses: ["AzureCloud"], destinationPorts: ["443"])),
        ])]
        graph.insert(firewall)
        var group = IPGroup(id: Self.id("ipGroups", "ml"), location: "westeurope")
        group.ipAddresses = ["172.16.0.0/16", "172.16.1.1-172.16.1.9"]
        graph.insert(group)

        let proposal = try #require(try Self.proposal(VirtualNetworkDockerBridgeRule.self, graph, subject: "vnet-ml"))
        // 10.0.0.0/12 holds the hub, 10.16.0.0/12 the office; 10.32.0.0/12 is the first free one.
        #expect(proposal.addressMoves == [AddressMove(from: Self.p("172.16.0.0/12"), to: Self.p("10.32.0.0/12"))])
        let after = proposal.graph
        #expect(after.resource(moving, as: VirtualNetwork.self)?.addressSpace == [Self.p("10.32.0.0/12")])
        #expect(after.resource(moving.child("subnets", "training"), as: Subnet.self)?.addressPrefixes == [Self.p("10.32.5.0/24")])
        #expect(after.resource(nic.id, as: NetworkInterface.self)?.ipConfigurations.first?.privateIPAddress == IPv4Address("10.32.5.10"))
        #expect(after.resource(table.id, as: RouteTable.self)?.routes.first?.nextHopIPAddress == IPv4Address("10.32.5.10"))
        guard case .network(let rule)? = after.resource(firewall.id, as: AzureFirewall.self)?.networkRuleCollections.first?.rules.first else {
            Issue.record("the firewall rule is gone")
            return
        }
        #expect(rule.sourceAddresses == ["10.32.5.0/24", "10.32.9.1", "10.0.0.0/16"])
        #expect(after.resource(group.id, as: IPGroup.self)?.ipAddresses == ["10.32.0.0/16", "10.32.1.1-10.32.1.9"])
        #expect(proposal.summary.contains("redeploying everything in 'vnet-ml'"))
        #expect(proposal.summary.contains("'training' 172.16.5.0/24 → 10.32.5.0/24"))
        // Same input, same plan.
        #expect(try Self.proposal(VirtualNetworkDockerBridgeRule.self, graph, subject: "vnet-ml")?.addressMoves == proposal.addressMoves)
    }

    /// Of two overlapping peered VNets the one with fewer resources moves; on a tie, the later resource ID.
    @Test func peeringOverlapMovesTheCheaperSide() throws {
        var graph = ResourceGraph()
        let hub = Self.vnet("vnet-a", ["10.0.0.0/16"], subnets: [("one", "10.0.1.0/24"), ("two", "10.0.2.0/24")], in: &graph)
        let spoke = Self.vnet("vnet-b", ["10.0.128.0/17"], subnets: [("x", "10.0.130.0/24")], in: &graph)
        graph.update(hub, as: VirtualNetwork.self) { $0.peerings = [VirtualNetworkPeering(name: "to-b", remoteVirtualNetwork: spoke)] }
        graph.update(spoke, as: VirtualNetwork.self) { $0.peerings = [VirtualNetworkPeering(name: "to-a", remoteVirtualNetwork: hub)] }
        let proposal = try #require(try Self.proposal(VirtualNetworkPeeringOverlapRule.self, graph, subject: "vnet-a"))
        #expect(proposal.addressMoves == [AddressMove(from: Self.p("10.0.128.0/17"), to: Self.p("10.1.0.0/17"))])
        #expect(proposal.graph.resource(spoke.child("subnets", "x"), as: Subnet.self)?.addressPrefixes == [Self.p("10.1.2.0/24")])

        // Equal weight: the later ID (vnet-b) moves, whichever side reports it.
        graph.remove(hub.child("subnets", "two"))
        let tie = try #require(try Self.proposal(VirtualNetworkPeeringOverlapRule.self, graph, subject: "vnet-b"))
        #expect(tie.addressMoves.map(\.from) == [Self.p("10.0.128.0/17")])
        // And the review verifies it.
        let findings = Checker.run(graph)
        let finding = try #require(findings.first { $0.ruleID == "virtual_network_peering_overlap" })
        let fix = FixReview(graph: graph, findings: findings).fix(for: finding)
        #expect(fix.status == .verified, "\(fix.reason ?? "")")
    }

    /// A compute subnet too small for its cluster grows in place when the aligned block around it is free, and
    /// moves to the lowest free block when it is not.
    @Test func capacityGrowsInPlaceOrMoves() throws {
        var graph = ResourceGraph()
        let vnet = Self.vnet("vnet", ["10.0.0.0/24"], subnets: [("training", "10.0.0.0/28")], in: &graph)
        var cluster = MachineLearningCompute(id: ResourceID("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws/computes/cpu"), location: "westeurope")
        cluster.subnet = vnet.child("subnets", "training")
        cluster.maxNodes = 50
        graph.insert(cluster)
        let grown = try #require(try Self.proposal(ComputeSubnetCapacityRule.self, graph, subject: "training"))
        #expect(grown.addressMoves == [AddressMove(from: Self.p("10.0.0.0/28"), to: Self.p("10.0.0.0/26"))])
        #expect(grown.summary.contains("must hold 50 addresses"))

        var busy = Subnet(id: vnet.child("subnets", "busy"))
        busy.addressPrefixes = [Self.p("10.0.0.32/27")]
        graph.insert(busy)
        let moved = try #require(try Self.proposal(ComputeSubnetCapacityRule.self, graph, subject: "training"))
        #expect(moved.addressMoves == [AddressMove(from: Self.p("10.0.0.0/28"), to: Self.p("10.0.0.64/26"))])
    }

    /// With no VNet in the workspace's region and subscription there is nowhere to put the compute: no fix.
    @Test func placementNeedsAHomeNetwork() throws {
        var graph = ResourceGraph()
        let far = Self.vnet("vnet-east", ["10.1.0.0/16"], subnets: [("training", "10.1.0.0/24")], location: "eastus", in: &graph)
        let workspace = ResourceID("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws")
        graph.insert(MachineLearningWorkspace(id: workspace, location: "westeurope"))
        var instance = MachineLearningCompute(id: workspace.child("computes", "ci"), location: "eastus")
        instance.computeType = "ComputeInstance"
        instance.subnet = far.child("subnets", "training")
        graph.insert(instance)
        #expect(try Self.proposal(ComputePlacementRule.self, graph, subject: "ci") == nil)
        let findings = Checker.run(graph)
        let fix = FixReview(graph: graph, findings: findings).fix(for: try #require(findings.first { $0.ruleID == "compute_placement" }))
        #expect(fix.reason?.contains("no virtual network in workspace 'ws''s subscription and region westeurope") == true, "\(fix.reason ?? "")")

        // A home VNet whose only subnet is a platform subnet: a new subnet is carved from its free space.
        let home = Self.vnet("vnet-home", ["10.2.0.0/16"], subnets: [("AzureBastionSubnet", "10.2.0.0/26")], in: &graph)
        let proposal = try #require(try Self.proposal(ComputePlacementRule.self, graph, subject: "ci"))
        let created = try #require(proposal.graph.resource(home.child("subnets", "compute"), as: Subnet.self))
        #expect(created.addressPrefixes == [Self.p("10.2.0.64/29")])
        #expect(proposal.graph.resource(instance.id, as: MachineLearningCompute.self)?.location == "westeurope")
        #expect(proposal.summary.contains("delete the compute and create it again"))
    }
}
