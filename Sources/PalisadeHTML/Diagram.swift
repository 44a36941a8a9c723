import PalisadeModel
import PalisadeRules

/// Draws the network as one SVG element: VNets as containers, subnets as boxes, resources as chips, PaaS and
/// external nodes on the right, private endpoint, route and peering edges, and finding badges.
/// Styling comes from the page's stylesheet through classes, so the same SVG serves light, dark and print.
struct Diagram: Sendable {
    let index: GraphIndex
    let layout: DiagramLayout
    let findings: [Finding]
    let title: String

    /// `everyNetworkInFull` draws every VNet with its subnets however many there are.
    init(graph: ResourceGraph, findings: [Finding], title: String, everyNetworkInFull: Bool = false) {
        index = GraphIndex(graph)
        layout = DiagramLayout(index: index, everyNetworkInFull: everyNetworkInFull)
        self.findings = findings
        self.title = title
    }

    /// Findings per drawn element, unsuppressed only.
    struct Mark: Sendable {
        var count = 0
        var severity = FindingSeverity.note
        var lines: [String] = []
        var firstSubject: ResourceID?
    }

    /// The drawn resources a finding about `subject` is shown on.
    func anchors(for subject: ResourceID) -> [ResourceID] {
        if layout.drawn.contains(subject) { return [subject] }
        var result: [ResourceID] = []
        result += index.subnetsByNSG[subject] ?? []
        result += (index.nicsByNSG[subject] ?? []).map { index.virtualMachineByNIC[$0] ?? $0 }
        result += index.subnetsByRouteTable[subject] ?? []
        if let vm = index.virtualMachineByNIC[subject] { result.append(vm) }
        result += (index.ownersByPublicIP[subject] ?? []).map { index.virtualMachineByNIC[$0] ?? $0 }
        result += index.firewallsByPolicy[subject] ?? []
        result += index.endpointsByZone[subject] ?? []
        // A chip left out by the per-subnet cap shows on its subnet.
        if let subnet = index.subnetOfChip[index.virtualMachineByNIC[subject] ?? subject] { result.append(subnet) }
        var parent = subject.parent
        while result.isEmpty, let next = parent {
            if layout.drawn.contains(next) { result.append(next) }
            parent = next.parent
        }
        // Subnets of a VNet drawn as a tile, and what sits in them, show on the tile.
        if let owner = layout.compactOwner[subject] ?? index.subnetOfChip[index.virtualMachineByNIC[subject] ?? subject].flatMap({ layout.compactOwner[$0] }) {
            result.append(owner)
        }
        result = result.map { layout.drawn.contains($0) ? $0 : layout.compactOwner[$0] ?? $0 }
        var seen: Set<ResourceID> = []
        return result.filter { layout.drawn.contains($0) && seen.insert($0).inserted }.sorted()
    }

    /// Marks per anchored resource.
    var marks: [ResourceID: Mark] {
        var marks: [ResourceID: Mark] = [:]
        for finding in findings where finding.suppression == nil {
            for anchor in anchors(for: finding.subject) {
                var mark = marks[anchor] ?? Mark()
                mark.count += 1
                if mark.firstSubject == nil { mark.firstSubject = finding.subject }
                mark.severity = max(mark.severity, finding.severity)
                mark.lines.append("\(finding.severity.rawValue) \(finding.ruleID): \(finding.message)")
                marks[anchor] = mark
            }
        }
        return marks
    }

    // MARK: - Rendering

    /// The SVG markup.
    func render() -> String {
        var out = SVGWriter()
        let marks = self.marks
        out.line("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"diagram\" viewBox=\"0 0 \(layout.width) \(layout.height)\" width=\"\(layout.width)\" height=\"\(layout.height)\" role=\"img\" aria-labelledby=\"diagram-title\">")
        out.line("<title id=\"diagram-title\">\(Markup.escape(title))</title>")
        out.line("<defs>")
        for kind in ["route", "pe", "egress", "vpn"] {
            out.line("<marker id=\"m-\(kind)\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" class=\"mk mk-\(kind)\"/></marker>")
        }
        out.line("</defs>")
        out.line("<rect class=\"canvas\" x=\"0\" y=\"0\" width=\"\(layout.width)\" height=\"\(layout.height)\"/>")
        if layout.networks.isEmpty {
            out.line("<text class=\"empty\" x=\"20\" y=\"40\">No virtual networks in the input.</text>")
        }
        drawPeerings(&out)
        for network in layout.networks { drawNetwork(network, marks: marks, &out) }
        for node in layout.outer { drawOuter(node, &out) }
        drawEndpointEdges(&out)
        drawRoutes(&out)
        drawExternalEdges(&out)
        drawBadges(marks, &out)
        out.line("</svg>")
        return out.text
    }

    private func group(_ resource: ResourceID?, primary: Bool, css: String, marked: Bool) -> String {
        var attributes = "class=\"node \(css)\(marked ? " flagged" : "")\""
        if let resource {
            if primary { attributes = "id=\"\(Markup.elementID(resource))\" " + attributes }
            attributes += " data-resource=\"\(Markup.escape(resource.rawValue))\""
        }
        return "<g \(attributes)>"
    }

    private func text(_ x: Int, _ y: Int, _ css: String, _ content: String, anchorEnd: Bool = false) -> String {
        "<text x=\"\(x)\" y=\"\(y)\" class=\"\(css)\"\(anchorEnd ? " text-anchor=\"end\"" : "")>\(Markup.escape(content))</text>"
    }

    private func rect(_ box: Box, _ css: String, radius: Int) -> String {
        "<rect class=\"\(css)\" x=\"\(box.x)\" y=\"\(box.y)\" width=\"\(box.w)\" height=\"\(box.h)\" rx=\"\(radius)\"/>"
    }

    private func fit(_ pixels: Int) -> Int { max(4, Int(Double(pixels) / Metrics.charWidth)) }

    /// A VNet as a summary tile: name, address space, and what its subnets hold, counted.
    private func drawCompactNetwork(_ network: NetworkLayout, marks: [ResourceID: Mark], _ out: inout SVGWriter) {
        let box = network.box
        let vnet = network.network
        out.line(group(vnet.id, primary: true, css: "vnet compact", marked: marks[vnet.id] != nil))
        let space = vnet.addressSpace.map(\.description).joined(separator: ", ")
        let subnets = network.subnets.map { "\($0.subnet.name) \($0.subnet.addressPrefixes.map(\.description).joined(separator: ", "))" }
        let peers = vnet.peerings.map { "peered with \($0.remoteVirtualNetwork.name)" }.joined(separator: "; ")
        out.line("<title>\(Markup.escape("VNet \(vnet.name) \(space)\(peers.isEmpty ? "" : " — " + peers)\n" + subnets.joined(separator: "\n") + "\n\(vnet.id.rawValue)"))</title>")
        out.line(rect(box, "frame", radius: 8))
        out.line(text(box.x + 10, box.y + 18, "title", Markup.truncate(vnet.name, fit(box.w - 24))))
        out.line(text(box.x + 10, box.y + 34, "mono", Markup.truncate(space.isEmpty ? "no address space" : space, fit(box.w - 20))))
        var counts: [ChipKind: Int] = [:]
        for subnet in network.subnets {
            for chip in index.chips[subnet.subnet.id] ?? [] { counts[chip.kind, default: 0] += 1 }
        }
        let names: [ChipKind: String] = [.firewall: "firewall", .gateway: "gateway", .bastion: "Bastion", .virtualMachine: "VM",
                                         .networkInterface: "NIC", .compute: "compute", .natGateway: "NAT", .privateEndpoint: "PE"]
        var facts = ["\(network.subnets.count) subnet\(network.subnets.count == 1 ? "" : "s")"]
        for kind in counts.keys.sorted() { facts.append("\(counts[kind]!) \(names[kind] ?? kind.css)\(counts[kind]! == 1 ? "" : "s")") }
        out.line(text(box.x + 10, box.y + 51, "small", Markup.truncate(facts.joined(separator: " · "), fit(box.w - 20))))
        out.line("</g>")
    }

    private func drawNetwork(_ network: NetworkLayout, marks: [ResourceID: Mark], _ out: inout SVGWriter) {
        if network.compact { return drawCompactNetwork(network, marks: marks, &out) }
        let box = network.box
        let vnet = network.network
        out.line(group(vnet.id, primary: true, css: "vnet", marked: marks[vnet.id] != nil))
        let space = vnet.addressSpace.map(\.description).joined(separator: ", ")
        let peers = vnet.peerings.map { "peered with \($0.remoteVirtualNetwork.name)" }.joined(separator: "; ")
        out.line("<title>\(Markup.escape("VNet \(vnet.name) \(space)\(peers.isEmpty ? "" : " — " + peers)\n\(vnet.id.rawValue)"))</title>")
        out.line(rect(box, "frame", radius: 10))
        out.line(text(box.x + 12, box.y + 20, "title", Markup.truncate(vnet.name, fit(box.w - 24))))
        let dns = vnet.dnsServers.isEmpty ? "" : " · DNS " + vnet.dnsServers.map(\.description).joined(separator: ",")
        out.line(text(box.x + 12, box.y + 37, "mono", Markup.truncate((space.isEmpty ? "no address space" : space) + dns, fit(box.w - 24))))
        for subnet in network.subnets { drawSubnet(subnet, marks: marks, &out) }
        out.line("</g>")
    }

    private func drawSubnet(_ layout: SubnetLayout, marks: [ResourceID: Mark], _ out: inout SVGWriter) {
        let box = layout.box
        let subnet = layout.subnet
        out.line(group(subnet.id, primary: true, css: "subnet", marked: marks[subnet.id] != nil))
        var facts: [String] = []
        if let nsg = subnet.networkSecurityGroup { facts.append("NSG \(nsg.name)") }
        if let table = subnet.routeTable { facts.append("RT \(table.name)") }
        if !subnet.delegations.isEmpty { facts.append("delegated") }
        let prefixes = subnet.addressPrefixes.map(\.description).joined(separator: ", ")
        out.line("<title>\(Markup.escape("subnet \(subnet.name) \(prefixes)\n" + (facts.isEmpty ? "" : facts.joined(separator: " · ") + "\n") + subnet.id.rawValue))</title>")
        out.line(rect(box, "frame", radius: 6))
        out.line(text(box.x + 10, box.y + 16, "name", Markup.truncate(subnet.name, fit(box.w / 2))))
        out.line(text(box.maxX - 16, box.y + 16, "mono", prefixes, anchorEnd: true))
        out.line(text(box.x + 10, box.y + 31, "small", Markup.truncate(facts.isEmpty ? "no NSG · no route table" : facts.joined(separator: " · "), fit(box.w - 20))))
        for chip in layout.chips {
            let cbox = chip.box
            out.line(group(chip.resource, primary: chip.primary, css: "chip \(chip.kind.css)", marked: chip.primary && marks[chip.resource] != nil))
            out.line("<title>\(Markup.escape("\(chip.label) — \(chip.detail)\n\(chip.resource.rawValue)"))</title>")
            out.line(rect(cbox, "frame", radius: 4))
            out.line("<rect class=\"stripe\" x=\"\(cbox.x)\" y=\"\(cbox.y)\" width=\"5\" height=\"\(cbox.h)\" rx=\"2\"/>")
            let total = fit(cbox.w - 24)
            let labelChars = min(chip.label.count, total - min(chip.detail.count, total / 2))
            let detailChars = max(4, total - labelChars - 2)
            out.line(text(cbox.x + 12, cbox.y + 17, "label", Markup.truncate(chip.label, labelChars)))
            out.line(text(cbox.maxX - 8, cbox.y + 17, "small", Markup.truncate(chip.detail, detailChars), anchorEnd: true))
            out.line("</g>")
        }
        if layout.hidden > 0 {
            let y = box.y + Metrics.subnetHeader + layout.chips.count * (Metrics.chipHeight + Metrics.chipGap)
            let more = Box(x: box.x + 10, y: y, w: box.w - 20, h: Metrics.chipHeight)
            out.line("<g class=\"node chip more\">")
            out.line(rect(more, "frame", radius: 4))
            out.line(text(more.x + 12, more.y + 17, "small", "+\(layout.hidden) more (see the inventory)"))
            out.line("</g>")
        }
        out.line("</g>")
    }

    private func drawOuter(_ node: OuterNode, _ out: inout SVGWriter) {
        let box = node.box
        let primary = node.resource.map { layout.boxes[$0] == box } ?? true
        if let resource = node.resource {
            out.line(group(resource, primary: primary, css: "outer \(node.css)", marked: false))
        } else {
            out.line("<g id=\"\(node.elementID)\" class=\"node outer \(node.css)\">")
        }
        out.line("<title>\(Markup.escape("\(node.label) — \(node.detail)" + (node.resource.map { "\n" + $0.rawValue } ?? "")))</title>")
        out.line(rect(box, "frame", radius: node.css == "external" ? 20 : 8))
        out.line(text(box.x + 12, box.y + 17, "label", Markup.truncate(node.label, fit(box.w - 24))))
        out.line(text(box.x + 12, box.y + 32, "small", Markup.truncate(node.detail, fit(box.w - 24))))
        out.line("</g>")
    }

    private func curve(_ x1: Int, _ y1: Int, _ x2: Int, _ y2: Int) -> String {
        let dx = max(40, abs(x2 - x1) / 2) * (x2 >= x1 ? 1 : -1)
        return "M\(x1),\(y1) C\(x1 + dx),\(y1) \(x2 - dx),\(y2) \(x2),\(y2)"
    }

    private func drawEndpointEdges(_ out: inout SVGWriter) {
        // VNets with a neighbour on their right send their arrows down the column gap and along the gutter
        // below their row, so arrows never cross another VNet.
        let networkOf = networkIndexes()
        var rowBottom: [Int: Int] = [:]
        var lastInRow: [Int: Int] = [:]
        for (n, network) in layout.networks.enumerated() {
            rowBottom[network.row] = max(rowBottom[network.row] ?? 0, network.box.maxY)
            lastInRow[network.row] = n
        }
        let busX = (layout.outer.first?.box.x ?? 0) - 30
        out.line("<g class=\"edges pe-edges\">")
        for endpoint in index.privateEndpoints {
            guard let target = endpoint.target, let from = layout.boxes[endpoint.id], let to = layout.boxes[target] else { continue }
            let label = "\(endpoint.name) → \(target.name) (\(endpoint.groupIDs.joined(separator: ",")))"
            var d = curve(from.maxX, from.midY, to.x, to.midY)
            if let n = networkOf[endpoint.id], lastInRow[layout.networks[n].row] != n, let bottom = rowBottom[layout.networks[n].row] {
                let network = layout.networks[n].box
                let lane = n % 4 * 3
                d = "M\(from.maxX),\(from.midY) H\(network.maxX + 10 + lane) V\(bottom + 12 + lane) H\(busX + lane) V\(to.midY) H\(to.x)"
            }
            out.line("<path class=\"edge pe\" d=\"\(d)\" marker-end=\"url(#m-pe)\" data-from=\"\(Markup.elementID(endpoint.id))\" data-to=\"\(Markup.elementID(target))\"><title>\(Markup.escape(label))</title></path>")
        }
        out.line("</g>")
    }

    private func drawExternalEdges(_ out: inout SVGWriter) {
        out.line("<g class=\"edges external-edges\">")
        if let internet = layout.outer.first(where: { $0.elementID == GraphIndex.internetID }) {
            for firewall in index.firewalls {
                guard let box = layout.boxes[firewall] else { continue }
                out.line("<path class=\"edge egress\" d=\"\(curve(box.maxX, box.midY, internet.box.x, internet.box.midY))\" marker-end=\"url(#m-egress)\" data-from=\"\(Markup.elementID(firewall))\" data-to=\"\(GraphIndex.internetID)\"><title>\(Markup.escape("\(firewall.name) egress to the Internet"))</title></path>")
            }
        }
        if let vpn = layout.outer.first(where: { $0.elementID == GraphIndex.vpnClientsID }) {
            for gateway in index.gateways {
                guard let box = layout.boxes[gateway] else { continue }
                out.line("<path class=\"edge vpn\" d=\"\(curve(vpn.box.x, vpn.box.midY, box.maxX, box.midY)))\" marker-end=\"url(#m-vpn)\" data-from=\"\(GraphIndex.vpnClientsID)\" data-to=\"\(Markup.elementID(gateway))\"><title>\(Markup.escape("point-to-site VPN into \(gateway.name)"))</title></path>")
            }
        }
        out.line("</g>")
    }

    /// Where a route leads: a drawn box (and the VNet it sits in, if any), or a drop.
    private enum Hop {
        case box(element: String, box: Box, network: Int?)
        case drop
    }

    private func networkIndexes() -> [ResourceID: Int] {
        var result: [ResourceID: Int] = [:]
        for (n, network) in layout.networks.enumerated() {
            for subnet in network.subnets {
                result[subnet.subnet.id] = n
                for chip in subnet.chips where chip.primary { result[chip.resource] = n }
            }
        }
        return result
    }

    private func hop(for route: Route, cache: inout [IPv4Address: Hop?], networkOf: [ResourceID: Int]) -> Hop? {
        func boxHop(_ id: ResourceID) -> Hop? {
            guard let box = layout.boxes[id] else { return nil }
            return .box(element: Markup.elementID(id), box: box, network: networkOf[id])
        }
        switch route.nextHopType {
        case .virtualAppliance:
            guard let address = route.nextHopIPAddress else { return nil }
            if let cached = cache[address] { return cached }
            var result: Hop?
            if let owner = index.ownerByAddress[address], let hop = boxHop(index.virtualMachineByNIC[owner] ?? owner) {
                result = hop
            } else if let subnet = index.subnet(containing: address) {
                let firewall = index.chips[subnet.id]?.first { $0.kind == .firewall }
                result = firewall.flatMap { boxHop($0.resource) } ?? boxHop(subnet.id)
            }
            cache[address] = .some(result)
            return result
        case .internet:
            guard let node = layout.outer.first(where: { $0.elementID == GraphIndex.internetID }) else { return nil }
            return .box(element: node.elementID, box: node.box, network: nil)
        case .virtualNetworkGateway:
            return index.gateways.lazy.compactMap(boxHop).first
        case .none:
            return .drop
        case .vnetLocal, .vnetPeering, .virtualNetworkServiceEndpoint:
            return nil
        }
    }

    private func drawRoutes(_ out: inout SVGWriter) {
        let networkOf = networkIndexes()
        var cache: [IPv4Address: Hop?] = [:]
        var lanes = Array(repeating: 0, count: layout.networks.count)
        var paths: [ResourceID: [String]] = [:]
        for (n, network) in layout.networks.enumerated() {
            if network.compact {
                drawCompactRoutes(n, network, cache: &cache, networkOf: networkOf, paths: &paths)
                continue
            }
            for subnet in network.subnets {
                guard let tableID = subnet.subnet.routeTable, let table = index.routeTables[tableID] else { continue }
                // One arrow per next hop, labelled with the destinations that use it.
                var order: [String] = []
                var grouped: [String: (hop: Hop, destinations: [String])] = [:]
                for route in table.routes {
                    guard let hop = hop(for: route, cache: &cache, networkOf: networkOf) else { continue }
                    let key: String
                    switch hop {
                    case .box(let element, _, _): key = element
                    case .drop: key = "drop"
                    }
                    if grouped[key] == nil { order.append(key); grouped[key] = (hop, []) }
                    grouped[key]?.destinations.append("\(route.destination) \(route.name)")
                }
                let sbox = subnet.box
                let sy = sbox.y + 19
                for key in order {
                    guard let entry = grouped[key] else { continue }
                    let tip = Markup.escape("\(table.name): \(subnet.subnet.name) → \(key == "drop" ? "drop (next hop None)" : key)\n" + entry.destinations.joined(separator: "\n"))
                    let lane = lanes[n] % 5
                    lanes[n] += 1
                    switch entry.hop {
                    case .drop:
                        let x = sbox.x - 22
                        paths[tableID, default: []].append("<path class=\"edge route drop\" d=\"M\(sbox.x),\(sy) H\(x) M\(x - 4),\(sy - 4) l8,8 m0,-8 l-8,8\" data-from=\"\(Markup.elementID(subnet.subnet.id))\" data-to=\"drop\"><title>\(tip)</title></path>")
                    case .box(let element, let target, let targetNetwork):
                        let d: String
                        if targetNetwork == n {
                            // Same VNet: down the lane on the VNet's left edge.
                            if target == sbox { continue }
                            let laneX = network.box.x + 7 + lane * 5
                            d = "M\(sbox.x),\(sy) H\(laneX) V\(target.midY) H\(target.x)"
                        } else if targetNetwork != nil {
                            // Another VNet: along the gutter above this row, up the left trunk, into the target.
                            let gutter = network.box.y - 10 - lane * 3
                            let trunk = 20 + lane * 3
                            let side = network.box.x - 6 - lane * 2
                            d = "M\(sbox.x),\(sy) H\(side) V\(gutter) H\(trunk) V\(target.midY) H\(target.x)"
                        } else {
                            // An outer node (the Internet): out of the VNet's right edge.
                            d = curve(network.box.maxX, sy, target.x, target.midY)
                            paths[tableID, default: []].append("<path class=\"edge route\" d=\"M\(sbox.maxX),\(sy) H\(network.box.maxX)\"/>")
                        }
                        paths[tableID, default: []].append("<path class=\"edge route\" d=\"\(d)\" marker-end=\"url(#m-route)\" data-from=\"\(Markup.elementID(subnet.subnet.id))\" data-to=\"\(element)\"><title>\(tip)</title></path>")
                    }
                }
            }
        }
        out.line("<g class=\"edges route-edges\">")
        for tableID in paths.keys.sorted() {
            out.line("<g id=\"\(Markup.elementID(tableID))\" class=\"route-table\" data-resource=\"\(Markup.escape(tableID.rawValue))\">")
            for path in paths[tableID] ?? [] { out.line(path) }
            out.line("</g>")
        }
        out.line("</g>")
    }

    /// Routes of a VNet drawn as a tile: one arrow per next hop outside the VNet, from the tile, listing the
    /// subnets and destinations that use it.
    private func drawCompactRoutes(_ n: Int, _ network: NetworkLayout, cache: inout [IPv4Address: Hop?],
                                   networkOf: [ResourceID: Int], paths: inout [ResourceID: [String]]) {
        var order: [String] = []
        var grouped: [String: (hop: Hop, table: ResourceID, lines: [String])] = [:]
        for subnet in network.subnets {
            guard let tableID = subnet.subnet.routeTable, let table = index.routeTables[tableID] else { continue }
            for route in table.routes {
                guard let hop = hop(for: route, cache: &cache, networkOf: networkOf) else { continue }
                guard case .box(let element, _, let targetNetwork) = hop, targetNetwork != n else { continue }
                if grouped[element] == nil { order.append(element); grouped[element] = (hop, tableID, []) }
                grouped[element]?.lines.append("\(subnet.subnet.name): \(route.destination) \(route.name)")
            }
        }
        let box = network.box
        let sy = box.y + 19
        for (lane, key) in order.enumerated() {
            guard let entry = grouped[key], case .box(let element, let target, let targetNetwork) = entry.hop else { continue }
            let tip = Markup.escape("\(network.network.name) → \(key)\n" + entry.lines.joined(separator: "\n"))
            let d: String
            if targetNetwork != nil {
                let gutter = box.y - 10 - lane % 5 * 3
                let trunk = 20 + lane % 5 * 3
                d = "M\(box.x),\(sy) H\(box.x - 6) V\(gutter) H\(trunk) V\(target.midY) H\(target.x)"
            } else {
                d = curve(box.maxX, sy, target.x, target.midY)
            }
            paths[entry.table, default: []].append("<path class=\"edge route\" d=\"\(d)\" marker-end=\"url(#m-route)\" data-from=\"\(Markup.elementID(network.network.id))\" data-to=\"\(element)\"><title>\(tip)</title></path>")
        }
    }

    private func drawPeerings(_ out: inout SVGWriter) {
        var position: [ResourceID: Int] = [:]
        for (n, network) in layout.networks.enumerated() { position[network.network.id] = n }
        struct Pair: Hashable { var a: Int; var b: Int }
        var both: [Pair: Int] = [:]
        for (n, network) in layout.networks.enumerated() {
            for peering in network.network.peerings {
                guard let m = position[peering.remoteVirtualNetwork], m != n else { continue }
                both[Pair(a: min(n, m), b: max(n, m)), default: 0] += 1
            }
        }
        out.line("<g class=\"edges peerings\">")
        for pair in both.keys.sorted(by: { ($0.a, $0.b) < ($1.a, $1.b) }) {
            let a = layout.networks[pair.a], b = layout.networks[pair.b]
            let oneWay = (both[pair] ?? 0) < 2
            let d: String
            if a.row == b.row {
                let y = min(a.box.y, b.box.y) + 24
                d = "M\(a.box.maxX),\(y) H\(b.box.x)"
            } else if a.isHub {
                let gutter = b.box.y - 28
                let trunk = 40
                d = "M\(b.box.midX),\(b.box.y) V\(gutter) H\(trunk) V\(a.box.y + 24) H\(a.box.x)"
            } else {
                d = "M\(a.box.midX),\(a.box.maxY) L\(b.box.midX),\(b.box.y)"
            }
            let tip = "peering \(a.network.name) ↔ \(b.network.name)\(oneWay ? " (one side only: not connected)" : "")"
            out.line("<path class=\"edge peering\(oneWay ? " one-way" : "")\" d=\"\(d)\" data-from=\"\(Markup.elementID(a.network.id))\" data-to=\"\(Markup.elementID(b.network.id))\"><title>\(Markup.escape(tip))</title></path>")
        }
        out.line("</g>")
    }

    private func drawBadges(_ marks: [ResourceID: Mark], _ out: inout SVGWriter) {
        out.line("<g class=\"badges\">")
        for resource in marks.keys.sorted() {
            guard let mark = marks[resource], let box = layout.boxes[resource] else { continue }
            let element = Markup.elementID(resource)
            let cx = box.maxX - 2, cy = box.y - 1
            let label = mark.count > 99 ? "99+" : String(mark.count)
            out.line("<g class=\"badge sev-\(mark.severity.rawValue)\" id=\"badge-\(element)\" data-for=\"\(element)\" data-count=\"\(mark.count)\" data-severity=\"\(mark.severity.rawValue)\">")
            out.line("<title>\(Markup.escape("\(mark.count) finding\(mark.count == 1 ? "" : "s") on \(resource.name)\n" + mark.lines.joined(separator: "\n")))</title>")
            out.line("<a href=\"#findings-\(Markup.elementID(mark.firstSubject ?? resource))\"><circle cx=\"\(cx)\" cy=\"\(cy)\" r=\"10\"/>")
            out.line("<text x=\"\(cx)\" y=\"\(cy + 4)\" text-anchor=\"middle\">\(label)</text></a>")
            out.line("</g>")
        }
        out.line("</g>")
    }
}

/// Accumulates SVG lines.
struct SVGWriter {
    private var lines: [String] = []
    mutating func line(_ text: String) { lines.append(text) }
    var text: String { lines.joined(separator: "\n") }
}
