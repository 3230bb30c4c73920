import { render } from 'preact';
import { App } from './app.js';
import './styles/base.css';
import './styles/bars.css';
import './styles/lists.css';
import './styles/forms.css';
import './styles/dialogs.css';
import './styles/thread.css';
import './styles/runner.css';

render(<App />, document.getElementById('app')!);
