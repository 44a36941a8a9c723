import PalisadeModel
import Testing

@Suite struct AddressAllocatorTests {
    private func p(_ text: String) -> IPv4Prefix { IPv4Prefix(text)! }

    private func block(_ result: Result<IPv4Prefix, AddressAllocator.Exhausted>) -> String? {
        if case .success(let prefix) = result { prefix.description } else { nil }
    }

    /// The lowest aligned block of the requested size that overlaps nothing taken.
    @Test func findsLowestAlignedFreeBlock() {
        let allocator = AddressAllocator(taken: [p("10.0.0.0/24"), p("10.0.1.0/28"), p("10.0.250.0/27")])
        #expect(block(allocator.firstFree(length: 26, within: [p("10.0.0.0/16")])) == "10.0.1.64/26")
        #expect(block(allocator.firstFree(length: 28, within: [p("10.0.0.0/16")])) == "10.0.1.16/28")
        #expect(block(allocator.firstFree(length: 24, within: [p("10.0.0.0/16")])) == "10.0.2.0/24")
        #expect(block(allocator.firstFree(length: 16, within: [p("10.0.0.0/8")])) == "10.1.0.0/16")
    }

    /// A taken range larger than the block is skipped in one step, and the next block is re-aligned.
    @Test func skipsLargeTakenRangesAndRealigns() {
        let allocator = AddressAllocator(taken: [p("10.0.0.0/25"), p("10.0.0.128/26"), p("10.0.0.192/29")])
        #expect(block(allocator.firstFree(length: 27, within: [p("10.0.0.0/22")])) == "10.0.0.224/27")
        #expect(block(allocator.firstFree(length: 25, within: [p("10.0.0.0/22")])) == "10.0.1.0/25")
    }

    /// Containers are searched in the order given; one too small for the block is passed over.
    @Test func searchesContainersInOrder() {
        let allocator = AddressAllocator(taken: [p("10.0.0.0/24")])
        #expect(block(allocator.firstFree(length: 26, within: [p("10.0.0.0/24"), p("192.168.0.0/28"), p("172.16.0.0/24")])) == "172.16.0.0/26")
    }

    /// Allocating marks the block taken, so the next request gets the next block.
    @Test func allocationIsDeterministicAndTakes() {
        var allocator = AddressAllocator(taken: [p("10.0.0.0/27")])
        #expect(block(allocator.allocate(length: 27, within: [p("10.0.0.0/24")])) == "10.0.0.32/27")
        #expect(block(allocator.allocate(length: 27, within: [p("10.0.0.0/24")])) == "10.0.0.64/27")
        let again = AddressAllocator(taken: [p("10.0.0.0/27")])
        #expect(block(again.firstFree(length: 27, within: [p("10.0.0.0/24")])) == "10.0.0.32/27")
        // Order of the taken list does not matter.
        let shuffled = AddressAllocator(taken: [p("10.0.0.64/27"), p("10.0.0.0/27"), p("10.0.0.32/27")])
        #expect(block(shuffled.firstFree(length: 27, within: [p("10.0.0.0/24")])) == "10.0.0.96/27")
    }

    /// A full space gives no block, with a reason naming the size and the space.
    @Test func exhaustionSaysWhy() {
        let allocator = AddressAllocator(taken: [p("10.0.0.0/25"), p("10.0.0.128/26"), p("10.0.0.224/27")])
        guard case .failure(let exhausted) = allocator.firstFree(length: 26, within: [p("10.0.0.0/24")]) else {
            Issue.record("a /26 was found in a full /24")
            return
        }
        #expect(exhausted.description.contains("/26"))
        #expect(exhausted.description.contains("10.0.0.0/24"))
        #expect(block(allocator.firstFree(length: 27, within: [p("10.0.0.0/24")])) == "10.0.0.192/27")
        guard case .failure = allocator.firstFree(length: 23, within: [p("10.0.0.0/24")]) else {
            Issue.record("a /23 fits no /24")
            return
        }
        // The end of the address space does not wrap around.
        let top = AddressAllocator(taken: [p("255.255.255.0/25")])
        #expect(block(top.firstFree(length: 25, within: [p("255.255.255.0/24")])) == "255.255.255.128/25")
        guard case .failure = AddressAllocator(taken: [p("255.255.255.128/25")]).firstFree(length: 24, within: [p("255.255.255.0/24")]) else {
            Issue.record("no /24 is free")
            return
        }
    }

    /// Subnet sizes count the five addresses Azure reserves in every subnet.
    @Test func subnetLengthCountsAzureReserved() {
        #expect(AddressAllocator.subnetLength(forUsable: 3) == 29)
        #expect(AddressAllocator.subnetLength(forUsable: 11) == 28)
        #expect(AddressAllocator.subnetLength(forUsable: 12) == 27)
        #expect(AddressAllocator.subnetLength(forUsable: 13) == 27)
        #expect(AddressAllocator.subnetLength(forUsable: 251) == 24)
        #expect(AddressAllocator.subnetLength(forUsable: 252) == 23)
    }
}
