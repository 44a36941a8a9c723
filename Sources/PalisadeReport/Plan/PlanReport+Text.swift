import PalisadeModel

extension PlanReport {
    /// The human-readable plan: address plan first, then the inventory grouped by kind.
    public func renderText() -> String {
        var out = "Palisade plan: \(name ?? input)"
        if let location { out += " (\(location))" }
        out += "\n\n"
        if !diagnostics.isEmpty {
            out += diagnostics.map { "  \($0)" }.joined(separator: "\n") + "\n\n"
        }
        out += "Address plan\n"
        for vnet in virtualNetworks {
            out += "  \(vnet.name)  \(vnet.addressSpace.map(\.description).joined(separator: ", "))\n"
            let width = max(20, (vnet.subnets.map(\.name.count).max() ?? 0) + 2)
            var rows: [(IPv4Prefix, String)] = vnet.subnets.map { subnet in
                var line = "    " + pad(subnet.prefix.description, 18) + pad(subnet.name, width)
                line += pad("\(subnet.usableAddresses) usable", 13)
                line += pad(subnet.networkSecurityGroup ?? "no NSG", 28)
                line += pad(subnet.routeTable ?? "system routes", 14)
                line += subnet.hosts.joined(separator: ", ")
                return (subnet.prefix, trimTrailing(line))
            }
            rows += vnet.unallocated.map { ($0, "    " + pad($0.description, 18) + "(unallocated)") }
            for row in rows.sorted(by: { $0.0 < $1.0 }) { out += row.1 + "\n" }
        }
        out += "\nInventory: \(resourceCount) resources\n"
        for group in inventory {
            out += "  \(group.title) (\(group.resources.count))\n"
            let width = max(24, (group.resources.map(\.name.count).max() ?? 0) + 2)
            for item in group.resources {
                out += trimTrailing("    " + pad(item.name, width) + item.summary) + "\n"
            }
        }
        return out
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    private func trimTrailing(_ text: String) -> String {
        var copy = text
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
