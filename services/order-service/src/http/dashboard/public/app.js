// OMS admin dashboard, the entry module: the log-in and app screens, and the wiring between the
// panels. REST for reads and actions, one EventSource for live order updates; no polling: the
// orders table changes only on stream events, and the ops cards refresh on them too.
import { count, startChart, stopChart } from './chart.js';
import { $ } from './dom.js';
import { errorText } from './format.js';
import { bindLoadRun, refreshRun, stopRunFollow } from './load-run.js';
import { bindOps, refreshOps, scheduleOps } from './ops.js';
import { bindOrders, clearOrders, liveOrder, loadOrders, removeOrder } from './orders.js';
import { currentSession, endSession, logIn, onSessionLost, resumeSession, revokeSession } from './session.js';
import { closeStream, openStream, setConn } from './stream.js';
/** @import { StreamHandlers } from './stream.js' */

/** @type {StreamHandlers} */
const live = {
  created(order) {
    count('accepted');
    liveOrder(order);
    scheduleOps();
  },
  statusChanged(order) {
    // PROCESSED is reported only after the confirmation email was sent; FAILED ends without one.
    if (order.status === 'PROCESSED' || order.status === 'FAILED') count('processed');
    if (order.status === 'PROCESSED') count('emailed');
    liveOrder(order);
    scheduleOps();
  },
  deleted(id) {
    removeOrder(id);
    scheduleOps();
  },
  resync() {
    loadOrders();
    refreshOps();
  },
};

/** @param {boolean} loggedIn */
function showScreen(loggedIn) {
  $('#login').hidden = loggedIn;
  $('#app').hidden = !loggedIn;
  $('#logout').hidden = !loggedIn;
  $('#who').hidden = !loggedIn;
}

function showApp() {
  showScreen(true);
  $('#who').textContent = currentSession()?.user?.email ?? '';
  loadOrders();
  openStream(live, false);
  refreshOps();
  refreshRun();
  startChart();
}

function signOut(message = '') {
  closeStream();
  endSession();
  stopRunFollow();
  stopChart();
  clearOrders();
  showScreen(false);
  $('#login-error').textContent = message;
  setConn('off', 'Offline');
  $('#email').focus();
}

/** @param {HTMLFormElement} form */
async function login(form) {
  const button = $('#login-form button', HTMLButtonElement);
  button.disabled = true;
  $('#login-error').textContent = '';
  try {
    await logIn($('#email', HTMLInputElement).value, $('#password', HTMLInputElement).value);
    form.reset();
    showApp();
    $('#orders-h').focus();
  } catch (err) {
    $('#login-error').textContent = errorText(err);
  } finally {
    button.disabled = false;
  }
}

function logout() {
  const ended = currentSession();
  signOut();
  if (ended) revokeSession(ended);
}

const loginForm = $('#login-form', HTMLFormElement);
loginForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  login(loginForm);
});
$('#logout').addEventListener('click', logout);
bindOrders();
bindOps();
bindLoadRun();
onSessionLost(signOut);

// A reloaded tab keeps its session (renewed first when close to expiry).
const resumed = resumeSession();
if (resumed) resumed.then(showApp, () => {});
else signOut();
