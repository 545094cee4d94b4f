/// The pending-event set: an implicit 4-ary min-heap on `(time, order)`.
///
/// Storage is a manually managed buffer so the hot path has no copy-on-write or bounds checks;
/// the queue is a final class owned by one ``Kernel`` and never shared.
public final class EventQueue {
    @usableFromInline var storage: UnsafeMutablePointer<ScheduledEvent>
    @usableFromInline var capacity: Int
    /// Number of pending events.
    @inlinable public var count: Int { size }
    @usableFromInline var size: Int = 0

    public init(initialCapacity: Int = 1024) {
        capacity = max(16, initialCapacity)
        storage = .allocate(capacity: capacity)
    }

    deinit { storage.deallocate() }

    @inlinable public var isEmpty: Bool { count == 0 }

    /// The earliest event, if any, without removing it.
    @inlinable public var first: ScheduledEvent? { count == 0 ? nil : storage[0] }

    /// Adds an event.
    @inlinable
    public func push(_ item: ScheduledEvent) {
        if count == capacity { grow() }
        var hole = count
        size += 1
        // Sift up: move parents down until the item's place is found.
        while hole > 0 {
            let parent = (hole - 1) >> 2
            let p = storage[parent]
            if !ScheduledEvent.precedes(item, p) { break }
            storage[hole] = p
            hole = parent
        }
        storage[hole] = item
    }

    /// Removes and returns the earliest event.
    @inlinable
    public func popFirst() -> ScheduledEvent? {
        guard count > 0 else { return nil }
        let top = storage[0]
        size -= 1
        if count > 0 {
            let item = storage[count]
            siftDown(item)
        }
        return top
    }

    @inlinable
    func siftDown(_ item: ScheduledEvent) {
        let n = count
        var hole = 0
        while true {
            let c0 = 4 * hole + 1
            if c0 >= n { break }
            var best = c0
            var bestItem = storage[c0]
            let end = min(c0 + 4, n)
            var c = c0 + 1
            while c < end {
                let candidate = storage[c]
                if ScheduledEvent.precedes(candidate, bestItem) {
                    best = c
                    bestItem = candidate
                }
                c += 1
            }
            if !ScheduledEvent.precedes(bestItem, item) { break }
            storage[hole] = bestItem
            hole = best
        }
        storage[hole] = item
    }

    @usableFromInline
    func grow() {
        let newCapacity = capacity * 2
        let newStorage = UnsafeMutablePointer<ScheduledEvent>.allocate(capacity: newCapacity)
        newStorage.moveInitialize(from: storage, count: count)
        storage.deallocate()
        storage = newStorage
        capacity = newCapacity
    }

    /// Removes every pending event.
    public func removeAll() { size = 0 }
}
