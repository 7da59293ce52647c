
document.documentElement.classList.add('js');
(function(){
  var form=document.querySelector('.filters');if(!form)return;
  function apply(){
    var status=form.querySelector('input[name=status]:checked').value;
    var vendors=[].map.call(form.querySelectorAll('input[name=vendor]:checked'),function(i){return i.value});
    var q=form.q.value.trim().toLowerCase();
    document.querySelectorAll('.scenario').forEach(function(s){
      var ok=(status==='all'||s.dataset.status===status)&&
        s.dataset.vendors.split(' ').some(function(v){return vendors.indexOf(v)>=0})&&
        (!q||s.dataset.text.indexOf(q)>=0);
      s.classList.toggle('hidden',!ok);
    });
    document.querySelectorAll('.rule,.feature,.area').forEach(function(b){
      b.classList.toggle('hidden',!b.querySelector('.scenario:not(.hidden)'));
    });
  }
  form.addEventListener('input',apply);form.addEventListener('change',apply);
  var toggle=form.querySelector('[data-toggle]');
  toggle.addEventListener('click',function(){
    var open=toggle.dataset.toggle==='open';
    document.querySelectorAll('details.evidence').forEach(function(d){d.open=open});
    toggle.dataset.toggle=open?'close':'open';
    toggle.textContent=open?'Close all evidence':'Open all evidence';
  });
})();
