//! A fan-out queue that never drops: every subscriber gets every event, in order. A subscriber that
//! falls behind holds the producers instead (back-pressure): they wait in [`Fanout::room`] until it
//! has caught up below the capacity. Sending itself never waits and never fails for a live subscriber,
//! so an event announced outside a producer's loop (an ending, a cancel) is queued like any other.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::Notify;

struct Queue<T> {
    items: Mutex<VecDeque<T>>,
    /// Set when the subscriber is gone (its queue is skipped) or the fan-out is gone (recv ends).
    closed: AtomicBool,
    /// Signalled when an item arrives or the fan-out closes (one waiting subscriber).
    ready: Notify,
    /// Signalled when the subscriber took an item (producers waiting for room).
    room: Notify,
}

impl<T> Queue<T> {
    fn items(&self) -> MutexGuard<'_, VecDeque<T>> {
        self.items.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The sending side: one queue per subscriber.
pub struct Fanout<T> {
    queues: Mutex<Vec<Arc<Queue<T>>>>,
    capacity: usize,
}

/// The fan-out is gone: nothing more will arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closed;

/// One subscriber's end. Dropping it unsubscribes (producers stop waiting for it).
pub struct Subscription<T> {
    queue: Arc<Queue<T>>,
}

impl<T: Clone> Fanout<T> {
    /// `capacity`: how far a subscriber may fall behind before producers waiting in [`room`](Self::room) pause.
    pub fn new(capacity: usize) -> Self {
        Fanout { queues: Mutex::new(Vec::new()), capacity: capacity.max(1) }
    }

    fn live(&self) -> MutexGuard<'_, Vec<Arc<Queue<T>>>> {
        let mut queues = self.queues.lock().unwrap_or_else(|p| p.into_inner());
        queues.retain(|q| !q.closed.load(Ordering::Acquire));
        queues
    }

    pub fn subscribe(&self) -> Subscription<T> {
        let queue = Arc::new(Queue {
            items: Mutex::new(VecDeque::new()),
            closed: AtomicBool::new(false),
            ready: Notify::new(),
            room: Notify::new(),
        });
        self.live().push(queue.clone());
        Subscription { queue }
    }

    pub fn receiver_count(&self) -> usize {
        self.live().len()
    }

    /// Queues the event for every subscriber; false when there is none.
    pub fn send(&self, event: T) -> bool {
        let queues = self.live();
        for q in queues.iter() {
            q.items().push_back(event.clone());
            q.ready.notify_one();
        }
        !queues.is_empty()
    }

    /// Waits until every subscriber has fewer than `capacity` events waiting.
    pub async fn room(&self) {
        loop {
            let Some(full) = self.live().iter().find(|q| q.items().len() >= self.capacity).cloned() else {
                return;
            };
            let notified = full.room.notified();
            tokio::pin!(notified);
            // Registered before the re-check, so an item taken in between still wakes us.
            notified.as_mut().enable();
            if full.items().len() < self.capacity || full.closed.load(Ordering::Acquire) {
                continue;
            }
            notified.await;
        }
    }
}

impl<T> Drop for Fanout<T> {
    fn drop(&mut self) {
        for q in self.queues.lock().unwrap_or_else(|p| p.into_inner()).drain(..) {
            q.closed.store(true, Ordering::Release);
            q.ready.notify_one();
        }
    }
}

impl<T> Subscription<T> {
    /// The next event; `Err(Closed)` once the fan-out is gone and everything queued was taken.
    pub async fn recv(&mut self) -> Result<T, Closed> {
        loop {
            if let Some(item) = self.try_recv() {
                return Ok(item);
            }
            if self.queue.closed.load(Ordering::Acquire) {
                return Err(Closed);
            }
            self.queue.ready.notified().await;
        }
    }

    /// The next event if one is waiting.
    pub fn try_recv(&mut self) -> Option<T> {
        let item = self.queue.items().pop_front();
        if item.is_some() {
            self.queue.room.notify_waiters();
        }
        item
    }

    /// How many events wait for this subscriber.
    pub fn len(&self) -> usize {
        self.queue.items().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<T> Drop for Subscription<T> {
    fn drop(&mut self) {
        self.queue.closed.store(true, Ordering::Release);
        self.queue.room.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// A producer far faster than a slow subscriber: the subscriber still gets every event, in
    /// order, and the queue never grows past the capacity (the producer waited instead).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_slow_subscriber_gets_every_event_and_holds_the_producer() {
        let fan = Arc::new(Fanout::<u32>::new(8));
        let mut slow = fan.subscribe();
        let mut fast = fan.subscribe();
        let producer = {
            let fan = fan.clone();
            tokio::spawn(async move {
                for i in 0..2_000 {
                    fan.room().await;
                    assert!(fan.send(i));
                }
            })
        };
        let fast_reader = tokio::spawn(async move {
            let mut got = Vec::new();
            while got.len() < 2_000 {
                got.push(fast.recv().await.unwrap());
            }
            got
        });
        let mut got = Vec::new();
        let mut most_waiting = 0;
        while got.len() < 2_000 {
            most_waiting = most_waiting.max(slow.len());
            got.push(slow.recv().await.unwrap());
            if got.len() % 50 == 0 {
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        }
        producer.await.unwrap();
        let expected: Vec<u32> = (0..2_000).collect();
        assert_eq!(got, expected);
        assert_eq!(fast_reader.await.unwrap(), expected);
        // One event past the capacity at most: the producer checks for room, then sends one.
        assert!(most_waiting <= 9, "{most_waiting} events waited");
    }

    #[tokio::test]
    async fn a_dropped_subscriber_no_longer_holds_the_producer_and_recv_ends_with_the_fanout() {
        let fan = Fanout::<u32>::new(1);
        let gone = fan.subscribe();
        let mut kept = fan.subscribe();
        assert!(fan.send(1));
        drop(gone);
        assert_eq!(fan.receiver_count(), 1);
        assert_eq!(kept.recv().await, Ok(1));
        fan.room().await;
        assert!(fan.send(2));
        drop(fan);
        assert_eq!(kept.recv().await, Ok(2));
        assert_eq!(kept.recv().await, Err(Closed));
    }
}
