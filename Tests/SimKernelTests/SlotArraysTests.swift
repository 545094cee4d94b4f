import Testing
@testable import SimKernel

@Suite struct SlotArraysTests {
    /// Reference: `removeAll(keepingCapacity: true)`, which `empty()` stands in for: no elements
    /// left and the storage kept, for a short list (emptied element by element) and a long one.
    @Test(arguments: [0, 3, 8, 9, 100]) func emptyingKeepsTheStorage(count: Int) {
        var list = Array(0..<Int32(count))
        list.reserveCapacity(128)
        let capacity = list.capacity
        list.empty()
        #expect(list.isEmpty)
        #expect(list.capacity == capacity)
        list.append(7)
        #expect(list == [7])
    }

    /// A slot array grows to include an index, filling with the given value, and never shrinks.
    @Test func growingToIncludeAnIndexFillsTheGap() {
        var slots = [1.0]
        slots.growToInclude(3, with: 0)
        #expect(slots == [1, 0, 0, 0])
        slots.growToInclude(2, with: 5)
        #expect(slots == [1, 0, 0, 0])
    }
}
