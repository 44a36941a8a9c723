import PalisadeModel

extension NetworkModel {
    /// Groups VNets whose resolvers answer every name alike: for each VNet in `vnets`, the number of its class
    /// (0, 1, … in order of first appearance). Resolving a name from a VNet (`resolve(_:from: .virtualNetwork)`)
    /// reads only the VNet's location (for regional service tags), its first DNS server, and which private DNS
    /// zones are linked to it with which fallback setting; VNets that agree on all three get the same addresses
    /// and the same NXDOMAIN for every name (only the explanation text names the VNet). Rules that ask one name
    /// from thousands of VNets resolve it once per class.
    public func resolverClasses(_ vnets: [ResourceID]) -> [Int] {
        struct Link: Hashable { var zone: Int; var setting: String }
        struct Key: Hashable { var location: String?; var server: IPv4Address?; var links: [Link] }
        var links: [ResourceID: [Link]] = [:]
        for (index, zone) in dns.zones.enumerated() {
            for (vnet, setting) in zone.links { links[vnet, default: []].append(Link(zone: index, setting: setting)) }
        }
        var classes: [Key: Int] = [:]
        return vnets.map { id in
            let vnet = virtualNetworks[id]
            let server = vnet?.dnsServers.first.flatMap { $0 == .azureHost ? nil : $0 }
            let key = Key(location: vnet?.location, server: server, links: links[id] ?? [])
            if let known = classes[key] { return known }
            classes[key] = classes.count
            return classes.count - 1
        }
    }
}
