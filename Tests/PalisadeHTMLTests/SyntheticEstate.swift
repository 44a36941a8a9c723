import PalisadeModel

/// A hub-and-spoke estate for size checks: a hub with a firewall, and `spokes` spokes, each with a workload and a
/// private endpoint subnet, a default route to the firewall, a storage account behind a private endpoint, and
/// peerings both ways.
enum SyntheticEstate {
    static let subscription = "00000000-0000-0000-0000-000000000000"

    static func id(_ type: String, _ name: String, namespace: String = "Microsoft.Network") -> ResourceID {
        ResourceID(subscription: subscription, resourceGroup: "rg-estate", namespace: namespace, [(type, name)])
    }

    static func graph(spokes: Int) -> ResourceGraph {
        var graph = ResourceGraph()
        let hubID = id("virtualNetworks", "vnet-hub")
        var hub = VirtualNetwork(id: hubID, location: "westeurope")
        hub.addressSpace = [IPv4Prefix("10.0.0.0/16")!]
        let firewallSubnet = Subnet(id: hubID.child("subnets", "AzureFirewallSubnet")).with { $0.addressPrefixes = [IPv4Prefix("10.0.0.0/26")!] }
        graph.insert(firewallSubnet)
        let firewallIP = IPv4Address(10, 0, 0, 4)
        graph.insert(AzureFirewall(id: id("azureFirewalls", "azfw-hub"), location: "westeurope").with {
            $0.ipConfigurations = [IPConfiguration(name: "ipconfig", subnet: firewallSubnet.id, privateIPAddress: firewallIP)]
        })
        let table = RouteTable(id: id("routeTables", "rt-spokes"), location: "westeurope").with {
            $0.routes = [Route(name: "default", destination: .prefix(.all), nextHopType: .virtualAppliance, nextHopIPAddress: firewallIP)]
        }
        graph.insert(table)
        for n in 0..<spokes {
            let spokeID = id("virtualNetworks", "vnet-spoke-\(n)")
            let base = IPv4Address(UInt32(10) << 24 | UInt32(1 + n / 256) << 16 | UInt32(n % 256) << 8)
            var spoke = VirtualNetwork(id: spokeID, location: "westeurope")
            spoke.addressSpace = [IPv4Prefix(base, length: 24)]
            spoke.peerings = [VirtualNetworkPeering(name: "to-hub", remoteVirtualNetwork: hubID)]
            hub.peerings.append(VirtualNetworkPeering(name: "to-spoke-\(n)", remoteVirtualNetwork: spokeID))
            graph.insert(spoke)
            let workload = Subnet(id: spokeID.child("subnets", "workload")).with {
                $0.addressPrefixes = [IPv4Prefix(base, length: 25)]
                $0.routeTable = table.id
            }
            let endpoints = Subnet(id: spokeID.child("subnets", "endpoints")).with {
                $0.addressPrefixes = [IPv4Prefix(base.advanced(by: 128), length: 25)]
                $0.routeTable = table.id
            }
            graph.insert(workload)
            graph.insert(endpoints)
            let storage = StorageAccount(id: id("storageAccounts", "st\(n)", namespace: "Microsoft.Storage"), location: "westeurope")
            graph.insert(storage)
            graph.insert(PrivateEndpoint(id: id("privateEndpoints", "pe-st\(n)-blob"), location: "westeurope").with {
                $0.subnet = endpoints.id
                $0.target = storage.id
                $0.groupIDs = ["blob"]
            })
        }
        graph.insert(hub)
        return graph
    }
}
