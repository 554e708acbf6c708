//! Group commit for hiring requests: one task stores every lead waiting at that moment in one
//! durable transaction and then answers each request, so the disk is flushed once per batch
//! rather than once per lead, and no request is answered before its lead is on disk.

use std::num::NonZeroUsize;
use std::sync::Arc;

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::gauge::Gauge;
use tokio::sync::{Notify, mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::db::leads::{self, LeadPool, LeadStoreError, Stored, Submission};

/// Why a batch as a whole was not committed; every lead in it gets this answer.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    #[error("no database connection for the batch")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error(transparent)]
    Store(#[from] LeadStoreError),
    #[error("the batch's task failed")]
    Task(#[from] tokio::task::JoinError),
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// As many leads wait as the queue holds: the client should come back shortly.
    #[error("the queue of leads waiting to be stored is full")]
    Full,
    /// The server is shutting down and takes no more leads.
    #[error("the lead writer has stopped")]
    Stopped,
    #[error("the lead could not be stored")]
    Lead(#[source] LeadStoreError),
    #[error("the batch with the lead could not be committed")]
    Batch(#[source] Arc<BatchError>),
}

type Answer = Result<Stored, WriteError>;

struct Pending {
    submission: Submission,
    answer: oneshot::Sender<Answer>,
}

/// Hands leads to the writer task; shared by every request.
pub struct LeadWriter {
    queue: mpsc::Sender<Pending>,
    waiting: Gauge,
}

impl LeadWriter {
    /// Queues the submission and waits until its batch is committed. A full queue is refused at
    /// once rather than grown: waiting longer would not make the disk faster.
    pub async fn store(&self, submission: Submission) -> Answer {
        let (answer, answered) = oneshot::channel();
        // Counted before it is sent, so the writer never takes away a lead not yet counted.
        self.waiting.inc();
        if let Err(refused) = self.queue.try_send(Pending { submission, answer }) {
            self.waiting.dec();
            return Err(match refused {
                mpsc::error::TrySendError::Full(_) => WriteError::Full,
                mpsc::error::TrySendError::Closed(_) => WriteError::Stopped,
            });
        }
        answered.await.map_err(|_| WriteError::Stopped)?
    }
}

/// What the writer task needs besides its queue.
pub struct WriterConfig {
    pub pool: LeadPool,
    /// Woken once per batch that stored a notification.
    pub outbox_wake: Arc<Notify>,
    pub queue_max: NonZeroUsize,
    pub batch_max: NonZeroUsize,
    /// Transactions committed, one per batch.
    pub commits: Counter,
    /// Leads accepted and not yet answered.
    pub waiting: Gauge,
}

/// The running writer task; `drain` stops it once it has stored every lead it accepted.
pub struct WriterTask {
    stop: oneshot::Sender<()>,
    done: JoinHandle<()>,
}

impl WriterTask {
    pub async fn drain(self) {
        // The task may be gone already (the runtime is shutting down): nothing is left to tell it.
        let _ = self.stop.send(());
        if let Err(error) = self.done.await {
            tracing::error!(%error, "the lead writer failed");
        }
    }
}

/// Starts the writer task on the current runtime.
pub fn spawn(config: WriterConfig) -> (LeadWriter, WriterTask) {
    let (queue, received) = mpsc::channel(config.queue_max.get());
    let (stop, stopped) = oneshot::channel();
    let writer = LeadWriter { queue, waiting: config.waiting.clone() };
    let done = tokio::spawn(run(config, received, stopped));
    (writer, WriterTask { stop, done })
}

async fn run(config: WriterConfig, mut queue: mpsc::Receiver<Pending>, mut stop: oneshot::Receiver<()>) {
    let limit = config.batch_max.get();
    let mut batch = Vec::with_capacity(limit);
    let mut stopping = false;
    loop {
        tokio::select! {
            received = queue.recv_many(&mut batch, limit) => if received == 0 { break },
            _ = &mut stop, if !stopping => {
                // Refuses new leads; those already queued are still received, then `recv_many` gives 0.
                queue.close();
                stopping = true;
                continue;
            }
        }
        commit(&config, &mut batch).await;
    }
}

/// Stores the batch, answers each of its requests and leaves `batch` empty.
async fn commit(config: &WriterConfig, batch: &mut Vec<Pending>) {
    let count = i64::try_from(batch.len()).unwrap_or(i64::MAX);
    let (submissions, answers): (Vec<Submission>, Vec<oneshot::Sender<Answer>>) =
        batch.drain(..).map(|pending| (pending.submission, pending.answer)).unzip();
    let pool = config.pool.clone();
    let stored = match tokio::task::spawn_blocking(move || -> Result<_, BatchError> {
        let mut conn = pool.get()?;
        Ok(leads::store_leads(&mut conn, &submissions)?)
    })
    .await
    {
        Ok(stored) => stored,
        Err(failed) => Err(BatchError::from(failed)),
    };
    match stored {
        Ok(results) => {
            config.commits.inc();
            if results.iter().any(|result| matches!(result, Ok(Stored::New { notify: true, .. }))) {
                config.outbox_wake.notify_one();
            }
            for (answer, result) in answers.into_iter().zip(results) {
                // A client that went away before its lead was stored needs no answer.
                let _ = answer.send(result.map_err(WriteError::Lead));
            }
        }
        Err(error) => {
            tracing::error!(%error, leads = count, "a batch of leads was not stored");
            let error = Arc::new(error);
            for answer in answers {
                let _ = answer.send(Err(WriteError::Batch(error.clone())));
            }
        }
    }
    config.waiting.dec_by(count);
}
