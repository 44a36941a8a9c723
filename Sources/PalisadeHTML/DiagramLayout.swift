import PalisadeModel

/// An integer rectangle in diagram coordinates.
struct Box: Hashable, Sendable {
    var x: Int
    var y: Int
    var w: Int
    var h: Int
    var maxX: Int { x + w }
    var maxY: Int { y + h }
    var midX: Int { x + w / 2 }
    var midY: Int { y + h / 2 }
}

/// What a chip inside a subnet shows; the order is the order chips appear in.
enum ChipKind: Int, Comparable, Sendable {
    case firewall, gateway, bastion, virtualMachine, networkInterface, compute, natGateway, privateEndpoint

    static func < (l: ChipKind, r: ChipKind) -> Bool { l.rawValue < r.rawValue }

    /// CSS class suffix.
    var css: String {
        switch self {
        case .firewall: "firewall"
        case .gateway: "gateway"
        case .bastion: "bastion"
        case .virtualMachine: "vm"
        case .networkInterface: "nic"
        case .compute: "compute"
        case .natGateway: "nat"
        case .privateEndpoint: "pe"
        }
    }
}

/// A resource drawn inside a subnet.
struct Chip: Sendable {
    var resource: ResourceID
    var kind: ChipKind
    var label: String
    var detail: String
    /// False for a second appearance of a resource (e.g. a firewall's management configuration): drawn, no `id`.
    var primary = true
    var box = Box(x: 0, y: 0, w: 0, h: 0)
}

/// A subnet with its chips.
struct SubnetLayout: Sendable {
    var subnet: Subnet
    var chips: [Chip]
    /// Chips not drawn because of the per-subnet cap.
    var hidden: Int
    var box = Box(x: 0, y: 0, w: 0, h: 0)
}

/// A VNet container with its subnets.
struct NetworkLayout: Sendable {
    var network: VirtualNetwork
    var subnets: [SubnetLayout]
    var isHub: Bool
    /// Drawn as a summary tile (name, address space, counts) without its subnets: large estates only.
    var compact = false
    var row = 0
    var box = Box(x: 0, y: 0, w: 0, h: 0)
}

/// A node outside the VNets: a PaaS resource, a managed compute, or the Internet and VPN clients.
struct OuterNode: Sendable {
    var resource: ResourceID?
    var elementID: String
    var css: String
    var label: String
    var detail: String
    var order: Int
    var desiredY: Int?
    var box = Box(x: 0, y: 0, w: 0, h: 0)
}

/// Geometry constants of the diagram, in pixels.
enum Metrics {
    static let margin = 20
    static let trunkLeft = 64
    static let top = 44
    static let networkWidth = 400
    static let networkHeader = 46
    static let subnetInset = 34
    static let subnetRightPad = 12
    static let subnetHeader = 38
    static let subnetGap = 8
    static let chipHeight = 26
    static let chipGap = 4
    static let chipsPerSubnet = 10
    static let columnGap = 50
    static let rowGap = 56
    static let outerGap = 130
    static let outerWidth = 270
    static let outerHeight = 40
    static let outerSpacing = 10
    static let charWidth = 6.6
    /// Above this many VNets, VNets without a firewall or gateway are drawn as summary tiles.
    static let detailedNetworkLimit = 12
    static let compactWidth = 220
    static let compactHeight = 64
    static let compactColumns = 10
}

/// Lays the graph out: VNets on a grid (hubs first), subnets stacked in their VNet, chips stacked in their
/// subnet, outer nodes in a column on the right, aligned with what points at them.
/// - Complexity: O(n log n) in the number of resources (sorting); everything else is linear.
struct DiagramLayout: Sendable {
    var networks: [NetworkLayout] = []
    var outer: [OuterNode] = []
    var width = 0
    var height = 0
    /// Where each drawn resource sits (primary placements only).
    var boxes: [ResourceID: Box] = [:]
    /// Element IDs already used, so a resource is given an `id` only once.
    var drawn: Set<ResourceID> = []
    /// For subnets of VNets drawn as summary tiles: the tile's VNet, where their findings are shown.
    var compactOwner: [ResourceID: ResourceID] = [:]
    /// How many VNets are drawn as summary tiles.
    var compactCount: Int { networks.filter(\.compact).count }

    init(index: GraphIndex, everyNetworkInFull: Bool = false) {
        // 1. Build the VNet containers, hubs first.
        var built: [NetworkLayout] = []
        for network in index.networks {
            var subnets: [SubnetLayout] = []
            for subnet in index.subnets[network.id] ?? [] {
                var chips = (index.chips[subnet.id] ?? []).sorted {
                    ($0.kind, $0.label.lowercased(), $0.resource) < ($1.kind, $1.label.lowercased(), $1.resource)
                }
                var hidden = 0
                if chips.count > Metrics.chipsPerSubnet {
                    hidden = chips.count - (Metrics.chipsPerSubnet - 1)
                    chips = Array(chips.prefix(Metrics.chipsPerSubnet - 1))
                }
                subnets.append(SubnetLayout(subnet: subnet, chips: chips, hidden: hidden))
            }
            let isHub = subnets.contains { $0.chips.contains { $0.kind == .firewall || $0.kind == .gateway } }
            built.append(NetworkLayout(network: network, subnets: subnets, isHub: isHub))
        }
        built = built.filter(\.isHub) + built.filter { !$0.isHub }.sorted { NaturalOrder.less($0.network.id, $1.network.id) }
        // A large estate keeps its hubs in full and draws the other VNets as tiles, so the page stays light.
        if !everyNetworkInFull && built.count > Metrics.detailedNetworkLimit {
            for n in built.indices where !built[n].isHub { built[n].compact = true }
        }

        // 2. Size each container.
        for n in built.indices {
            if built[n].compact {
                built[n].box = Box(x: 0, y: 0, w: Metrics.compactWidth, h: Metrics.compactHeight)
                continue
            }
            var y = Metrics.networkHeader
            for s in built[n].subnets.indices {
                let rows = built[n].subnets[s].chips.count + (built[n].subnets[s].hidden > 0 ? 1 : 0)
                let height = Metrics.subnetHeader + rows * (Metrics.chipHeight + Metrics.chipGap) + (rows > 0 ? 4 : 0)
                built[n].subnets[s].box = Box(x: Metrics.subnetInset, y: y,
                                              w: Metrics.networkWidth - Metrics.subnetInset - Metrics.subnetRightPad, h: height)
                y += height + Metrics.subnetGap
            }
            built[n].box = Box(x: 0, y: 0, w: Metrics.networkWidth, h: max(y + 4, 64))
        }

        // 3. Place containers: everything in one row when there are at most three, else hubs in row 0 and the
        //    rest on a grid below.
        let hubs = built.filter(\.isHub).count
        let oneRow = built.count <= 3
        let spokes = built.count - hubs
        let compact = built.contains(where: \.compact)
        let columns = oneRow ? max(1, built.count)
            : compact ? max(1, min(Metrics.compactColumns, Int(Double(spokes).squareRoot().rounded(.up))))
            : max(1, min(6, Int(Double(spokes).squareRoot().rounded(.up))))
        // Cross-VNet routes and peerings run in a left margin and in the gutters between rows; a single VNet
        // needs neither.
        let left = built.count > 1 ? Metrics.trunkLeft : Metrics.margin
        let top = built.count > 1 ? Metrics.top : Metrics.margin
        var rowTop = top
        var next = 0
        var row = 0
        var gridRight = left
        while next < built.count {
            let rowEnd: Int
            if oneRow { rowEnd = built.count } else if row == 0 && hubs > 0 { rowEnd = hubs } else { rowEnd = min(built.count, next + columns) }
            var x = left
            var rowHeight = 0
            for n in next..<rowEnd {
                built[n].row = row
                built[n].box.x = x
                built[n].box.y = rowTop
                x += built[n].box.w + Metrics.columnGap
                rowHeight = max(rowHeight, built[n].box.h)
            }
            gridRight = max(gridRight, x - Metrics.columnGap)
            rowTop += rowHeight + Metrics.rowGap
            next = rowEnd
            row += 1
        }
        let gridBottom = built.isEmpty ? top : rowTop - Metrics.rowGap

        // 4. Absolute coordinates of subnets and chips.
        for n in built.indices {
            let origin = built[n].box
            if built[n].compact {
                for subnet in built[n].subnets { compactOwner[subnet.subnet.id] = built[n].network.id }
                drawn.insert(built[n].network.id)
                boxes[built[n].network.id] = origin
                continue
            }
            for s in built[n].subnets.indices {
                built[n].subnets[s].box.x += origin.x
                built[n].subnets[s].box.y += origin.y
                let sbox = built[n].subnets[s].box
                var y = sbox.y + Metrics.subnetHeader
                for c in built[n].subnets[s].chips.indices {
                    let box = Box(x: sbox.x + 10, y: y, w: sbox.w - 20, h: Metrics.chipHeight)
                    built[n].subnets[s].chips[c].box = box
                    y += Metrics.chipHeight + Metrics.chipGap
                    let resource = built[n].subnets[s].chips[c].resource
                    if drawn.contains(resource) {
                        built[n].subnets[s].chips[c].primary = false
                    } else {
                        drawn.insert(resource)
                        boxes[resource] = box
                    }
                }
                drawn.insert(built[n].subnets[s].subnet.id)
                boxes[built[n].subnets[s].subnet.id] = sbox
            }
            drawn.insert(built[n].network.id)
            boxes[built[n].network.id] = origin
        }
        networks = built

        // 5. The outer column, aligned with the first chip that points at each node.
        var nodes = index.outerNodes
        for i in nodes.indices {
            nodes[i].desiredY = nodes[i].desiredY ?? index.pointers(to: nodes[i]).compactMap { boxes[$0]?.midY }.min()
        }
        nodes.sort { ($0.desiredY ?? Int.max, $0.order, $0.elementID) < ($1.desiredY ?? Int.max, $1.order, $1.elementID) }
        let outerX = built.isEmpty ? left : gridRight + Metrics.outerGap
        var cursor = top
        for i in nodes.indices {
            let wanted = (nodes[i].desiredY ?? 0) - Metrics.outerHeight / 2
            let y = max(cursor, wanted)
            nodes[i].box = Box(x: outerX, y: y, w: Metrics.outerWidth, h: Metrics.outerHeight)
            cursor = y + Metrics.outerHeight + Metrics.outerSpacing
            if let resource = nodes[i].resource, !drawn.contains(resource) {
                drawn.insert(resource)
                boxes[resource] = nodes[i].box
            }
        }
        outer = nodes
        width = (nodes.isEmpty ? gridRight : outerX + Metrics.outerWidth) + Metrics.margin
        height = max(gridBottom, cursor) + Metrics.margin
        width = max(width, 320)
        height = max(height, 120)
    }
}

/// Orders resource IDs with digit runs compared by value (`spoke-2` before `spoke-10`), case-insensitively;
/// ties fall back to plain ID order, so the order is total and deterministic.
enum NaturalOrder {
    static func less(_ a: ResourceID, _ b: ResourceID) -> Bool {
        let x = Array(a.rawValue.lowercased().unicodeScalars), y = Array(b.rawValue.lowercased().unicodeScalars)
        var i = 0, j = 0
        while i < x.count && j < y.count {
            if isDigit(x[i]) && isDigit(y[j]) {
                var p = i, q = j
                while p < x.count && isDigit(x[p]) { p += 1 }
                while q < y.count && isDigit(y[q]) { q += 1 }
                let left = String(String.UnicodeScalarView(x[i..<p])).drop { $0 == "0" }
                let right = String(String.UnicodeScalarView(y[j..<q])).drop { $0 == "0" }
                if left.count != right.count { return left.count < right.count }
                if left != right { return left < right }
                i = p
                j = q
            } else {
                if x[i] != y[j] { return x[i].value < y[j].value }
                i += 1
                j += 1
            }
        }
        if x.count - i != y.count - j { return x.count - i < y.count - j }
        return a < b
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= 48 && scalar.value <= 57 }
}
