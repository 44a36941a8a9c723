import PalisadeModel
import PropertyBased
import Testing
@testable import PalisadeNetwork

@Suite("Packet-set algebra")
struct AlgebraTests {
    @Test func intervalUnionMergesAdjacent() {
        let a = IntervalSet(0, 9).union(IntervalSet(10, 20))
        #expect(a.intervals == [.init(0, 20)])
        #expect(a.count == 21)
    }

    @Test func intervalSubtractSplits() {
        let a = IntervalSet(0, 100).subtracting(IntervalSet(10, 20))
        #expect(a.intervals == [.init(0, 9), .init(21, 100)])
        #expect(IntervalSet.allAddresses.subtracting(.allAddresses).isEmpty)
        #expect(IntervalSet(5, 5).subtracting(IntervalSet(0, UInt32.max)).isEmpty)
    }

    @Test func prefixesRoundTrip() {
        let set = IntervalSet(prefixes: [IPv4Prefix("10.0.0.0/24")!, IPv4Prefix("10.0.1.0/24")!])
        #expect(set.prefixes == [IPv4Prefix("10.0.0.0/23")!])
        #expect(IntervalSet(ports: .ranges([PortRange(80), PortRange(443), PortRange(8000, 8010)])).portText == "80,443,8000-8010")
    }

    @Test func atomsAreCofinite() {
        let s = Atom.tag("Storage")
        let all = AtomSet.all
        #expect(all.subtracting(.only([s])).contains(s) == false)
        #expect(all.subtracting(.only([s])).contains(.host("pypi.org")))
        #expect(AtomSet.only([s]).union(.allExcept([s])) == .all)
        #expect(Atom.tag("storage.westus") == Atom.tag("Storage.WestUS"))
    }

    @Test func cubeSubtractionIsExact() {
        let a = PacketCube(destination: .prefixes([IPv4Prefix("10.0.0.0/8")!]), protocols: .all, destinationPorts: .allPorts)
        let b = PacketCube(destination: .prefixes([IPv4Prefix("10.1.0.0/16")!]), protocols: ProtocolSet([.tcp]), destinationPorts: IntervalSet(443, 443))
        let diff = PacketSet(a).subtracting(PacketSet(b))
        let inside = Packet(source: .ip(ip("1.1.1.1")), destination: .ip(ip("10.1.2.3")), protocol: .tcp, destinationPort: 443)
        let outside = Packet(source: .ip(ip("1.1.1.1")), destination: .ip(ip("10.1.2.3")), protocol: .udp, destinationPort: 443)
        #expect(!diff.contains(inside))
        #expect(diff.contains(outside))
        #expect(diff.union(PacketSet(b)).isEquivalent(to: PacketSet(a).union(PacketSet(b))))
    }

    @Test func fqdnWildcardsFollowF19() {
        let p = FQDNPattern("*.pypi.org")
        #expect(p.matches("files.pypi.org"))
        #expect(p.matches("a.b.pypi.org"))
        #expect(p.matches("FILES.PYPI.ORG."))
        #expect(!p.matches("pypi.org"))
        #expect(!p.matches("evilpypi.org"))
        #expect(FQDNPattern("*").matches("anything.example"))
        #expect(FQDNPattern("pypi.org").matches("PyPI.org"))
    }

    /// Property: set operations agree with membership on random points.
    @Test func intervalOperationsAgreeWithMembership() async {
        await propertyCheck(count: 200, input: Gen.uint32(in: 0...999).array(of: 6), Gen.uint32(in: 0...999).array(of: 6), Gen.uint32(in: 0...999).array(of: 20)) { a, b, points in
            func build(_ raw: [UInt32]) -> IntervalSet {
                var set = IntervalSet.empty
                for pair in stride(from: 0, to: raw.count - 1, by: 2) {
                    let lo = min(raw[pair], raw[pair + 1]) % 1000
                    let hi = max(raw[pair], raw[pair + 1]) % 1000
                    set = set.union(IntervalSet(min(lo, hi), max(lo, hi)))
                }
                return set
            }
            let x = build(a)
            let y = build(b)
            for raw in points {
                let v = raw % 1000
                #expect(x.union(y).contains(v) == (x.contains(v) || y.contains(v)))
                #expect(x.intersection(y).contains(v) == (x.contains(v) && y.contains(v)))
                #expect(x.subtracting(y).contains(v) == (x.contains(v) && !y.contains(v)))
            }
        }
    }

    /// Property: the binary-search paths (one operand much larger than the other) agree with membership.
    @Test func lopsidedIntervalOperationsAgreeWithMembership() async {
        await propertyCheck(count: 200, input: Gen.uint32(in: 0...99_999).array(of: 120), Gen.uint32(in: 0...99_999).array(of: 4), Gen.uint32(in: 0...99_999).array(of: 40)) { a, b, points in
            func build(_ raw: [UInt32]) -> IntervalSet {
                IntervalSet(stride(from: 0, to: raw.count - 1, by: 2).map { IntervalSet.Interval(min(raw[$0], raw[$0 + 1]), max(raw[$0], raw[$0 + 1])) })
            }
            let large = build(a)
            let small = build(b)
            // Probe near interval ends too, where off-by-one errors live.
            let edges = (large.intervals + small.intervals).flatMap { [$0.lower, $0.upper, $0.lower &- 1, $0.upper &+ 1] }
            for v in points + edges {
                for (x, y) in [(large, small), (small, large)] {
                    #expect(x.intersection(y).contains(v) == (x.contains(v) && y.contains(v)))
                    #expect(x.subtracting(y).contains(v) == (x.contains(v) && !y.contains(v)))
                }
            }
            #expect(large.intersects(small) == !large.intersection(small).isEmpty)
            #expect(small.intersects(large) == !large.intersection(small).isEmpty)
            #expect(large.intersection(small) == small.intersection(large))
        }
    }
}
