import { render } from 'preact';

function App() {
  return <main>Beckon</main>;
}

render(<App />, document.getElementById('app')!);
