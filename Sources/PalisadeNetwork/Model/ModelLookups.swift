import Foundation
import PalisadeModel

/// Lookup tables over one compiled model, built on first use and shared by its copies and the threads that read
/// it, so that questions asked once per subnet or per VNet (which subnet holds an address, which NICs a subnet
/// has) stay constant-time on estates of tens of thousands of subnets instead of scanning them all each time.
/// Every table answers exactly what the scan it replaces answered (first in the same order).
final class ModelLookups: @unchecked Sendable {
    private let lock = NSLock()
    private var subnetTable: PrefixTable?
    private var networkTable: PrefixTable?
    private var interfaces: [ResourceID: [Endpoint]]?
    private var subnetsByNetwork: [ResourceID: [CompiledSubnet]]?

    /// Prefixes keyed by (network, length), each with the position of the first entry (in the scan's order)
    /// that holds it. Prefixes are CIDR blocks, so an address lies in a prefix exactly when its masked value is
    /// that prefix's network: one lookup per distinct length instead of one comparison per prefix.
    struct PrefixTable {
        var first: [UInt64: Int] = [:]
        var lengths: [Int] = []

        init(_ entries: [(prefixes: [IPv4Prefix], position: Int)]) {
            var seen = Set<Int>()
            for (prefixes, position) in entries {
                for prefix in prefixes {
                    let key = Self.key(prefix.network.value, prefix.length)
                    if first[key] == nil { first[key] = position }
                    seen.insert(prefix.length)
                }
            }
            lengths = seen.sorted()
        }

        static func key(_ network: UInt32, _ length: Int) -> UInt64 { UInt64(network) << 6 | UInt64(length) }

        /// The smallest position of an entry with a prefix that contains `address`.
        func firstPosition(containing address: IPv4Address) -> Int? {
            var best: Int?
            for length in lengths {
                if let position = first[Self.key(address.value & IPv4Prefix.mask(length), length)], position < best ?? .max {
                    best = position
                }
            }
            return best
        }
    }

    private func cached<T>(_ slot: ReferenceWritableKeyPath<ModelLookups, T?>, _ make: () -> T) -> T {
        lock.lock()
        if let value = self[keyPath: slot] { lock.unlock(); return value }
        lock.unlock()
        let value = make()
        lock.lock()
        self[keyPath: slot] = value
        lock.unlock()
        return value
    }

    /// The first subnet (in `subnetOrder`) whose prefixes contain `address`.
    func subnet(containing address: IPv4Address, in model: NetworkModel) -> CompiledSubnet? {
        let table = cached(\.subnetTable) {
            PrefixTable(model.subnetOrder.enumerated().map { (prefixes: model.subnets[$0.element]?.prefixes ?? [], position: $0.offset) })
        }
        return table.firstPosition(containing: address).flatMap { model.subnets[model.subnetOrder[$0]] }
    }

    /// The first VNet (in resource-ID order) whose address space contains `address`.
    func virtualNetwork(containing address: IPv4Address, in model: NetworkModel) -> VirtualNetwork? {
        let networks = model.graph.all(VirtualNetwork.self)
        let table = cached(\.networkTable) {
            PrefixTable(networks.enumerated().compactMap { entry in
                model.virtualNetworks[entry.element.id].map { (prefixes: $0.addressSpace, position: entry.offset) }
            })
        }
        return table.firstPosition(containing: address).flatMap { model.virtualNetworks[networks[$0].id] }
    }

    /// The network interfaces of a subnet, by address.
    func networkInterfaces(in subnet: ResourceID, of model: NetworkModel) -> [Endpoint] {
        cached(\.interfaces) {
            Dictionary(grouping: model.endpoints.values.filter { $0.kind == .networkInterface }, by: \.subnet)
                .mapValues { $0.sorted { $0.address < $1.address } }
        }[subnet] ?? []
    }

    /// The compiled subnets of a VNet, in `subnetOrder`.
    func subnets(of network: ResourceID, in model: NetworkModel) -> [CompiledSubnet] {
        cached(\.subnetsByNetwork) {
            Dictionary(grouping: model.subnetOrder.compactMap { model.subnets[$0] }, by: \.virtualNetwork)
        }[network] ?? []
    }
}
