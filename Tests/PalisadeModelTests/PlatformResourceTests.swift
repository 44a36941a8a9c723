import Foundation
import PalisadeModel
import Testing

/// The platform records (Virtual Network Manager, Virtual WAN) survive the graph's JSON form unchanged.
@Suite struct PlatformResourceTests {
    static let rg = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-platform/providers/Microsoft.Network"

    @Test func networkManagerRoundTrips() throws {
        let manager = NetworkManager(id: ResourceID("\(Self.rg)/networkManagers/avnm")).with { m in
            let group = ResourceID("\(Self.rg)/networkManagers/avnm/networkGroups/spokes")
            m.scopeAccesses = ["SecurityAdmin", "Connectivity"]
            var members = NetworkGroup(id: group)
            members.staticMembers = [ResourceID("\(Self.rg)/virtualNetworks/spoke1")]
            m.networkGroups = [members]
            var config = SecurityAdminConfiguration(id: ResourceID("\(Self.rg)/networkManagers/avnm/securityAdminConfigurations/sac"))
            var collection = AdminRuleCollection(id: config.id.child("ruleCollections", "high-risk"))
            collection.appliesToGroups = [group]
            collection.rules = [AdminRule(name: "deny-rdp", priority: 10, action: .deny, direction: .inbound, protocol: .tcp,
                                          sources: [.any], destinations: [.serviceTag("VirtualNetwork")], destinationPorts: .ports(3389))]
            config.ruleCollections = [collection]
            m.securityAdminConfigurations = [config]
            var connectivity = ConnectivityConfiguration(id: m.id.child("connectivityConfigurations", "hubspoke"))
            connectivity.hubs = [ResourceID("\(Self.rg)/virtualNetworks/hub")]
            connectivity.groups = [.init(networkGroup: group, directlyConnected: true, useHubGateway: true)]
            m.connectivityConfigurations = [connectivity]
        }
        let data = try JSONEncoder().encode(manager.asResource)
        let decoded = try JSONDecoder().decode(Resource.self, from: data)
        #expect(decoded == manager.asResource)
        #expect(manager.allows("securityadmin"))
        #expect(!manager.allows("Routing"))
    }

    @Test func virtualHubRoundTrips() throws {
        let hub = VirtualHub(id: ResourceID("\(Self.rg)/virtualHubs/hub-weu")).with { h in
            h.addressPrefix = IPv4Prefix("10.100.0.0/23")
            h.virtualWAN = ResourceID("\(Self.rg)/virtualWans/vwan")
            h.virtualNetworkConnections = [HubVirtualNetworkConnection(name: "spoke1", remoteVirtualNetwork: ResourceID("\(Self.rg)/virtualNetworks/spoke1"))]
            h.routeTables = [HubRouteTable(id: h.routeTableID("RT_Shared"), labels: ["shared"])]
            h.routingIntent = RoutingIntent(name: "intent", policies: [
                .init(name: "PrivateTraffic", destinations: [.privateTraffic], nextHop: ResourceID("\(Self.rg)/azureFirewalls/fw")),
            ])
        }
        let decoded = try JSONDecoder().decode(Resource.self, from: try JSONEncoder().encode(hub.asResource))
        #expect(decoded == hub.asResource)
        #expect(hub.routingIntent?.nextHop(for: .privateTraffic)?.name == "fw")
        #expect(hub.routingIntent?.nextHop(for: .internet) == nil)
        #expect(hub.routeTableID("defaultRouteTable").rawValue.hasSuffix("/virtualHubs/hub-weu/hubRouteTables/defaultRouteTable"))
    }
}
