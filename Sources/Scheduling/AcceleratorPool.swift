/// The pooled accelerators of the center (the guide's 池化): how many there are and how many
/// are free. Gang allocation takes all of a job's accelerators at once or none.
///
/// Placement onto particular servers and slices comes with topology-aware scheduling; this pool
/// counts whole devices.
public struct AcceleratorPool: Sendable {
    /// All accelerators in the pool.
    public let capacity: Int
    /// Accelerators not allocated.
    public private(set) var free: Int

    public init(capacity: Int) {
        precondition(capacity > 0, "a pool needs at least one accelerator")
        self.capacity = capacity
        self.free = capacity
    }

    /// A stand-in with no accelerators, held in a pool's place while a scheduling context
    /// owns it (so the context's copy is unique and is not copied on write).
    public static let placeholder = AcceleratorPool(unchecked: 0)

    private init(unchecked capacity: Int) {
        self.capacity = capacity
        free = capacity
    }

    /// Accelerators allocated.
    public var busy: Int { capacity - free }

    /// Whether a job of `count` accelerators could ever run here.
    public func canEverFit(_ count: Int) -> Bool { count <= capacity }

    /// Takes `count` accelerators if they are all free (gang); returns whether it did.
    public mutating func allocate(_ count: Int) -> Bool {
        guard count <= free else { return false }
        free -= count
        return true
    }

    /// Returns `count` accelerators.
    public mutating func release(_ count: Int) {
        precondition(free + count <= capacity, "released more accelerators than were allocated")
        free += count
    }
}
